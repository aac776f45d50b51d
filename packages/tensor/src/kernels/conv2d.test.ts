// Tests of conv2d and its backward kernels against plain float64 reference loops, hand-worked cases and finite differences;
// the float32 ones on each backend (TypeScript; WebAssembly on one thread; WebAssembly on two threads).
import { describe, expect, it } from 'vitest';
import { tensor } from '../create.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, conv2dOutputShape } from './conv2d.js';
import { BACKEND_SETTINGS, useBackendSetting } from './test-utils.js';
import { channelFirstView, expectClose, expectFiniteDifferences } from './test-nhwc.js';

type Pair = [number, number];
interface Case {
  x: number[]; // [N, H, W, C]
  f: number[]; // [kh, kw, C, F]
  strides: Pair;
  dilation: Pair;
  padding: 'valid' | 'same';
}

const rng = new Random(20240611);
const randn = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal());
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

// ---- Reference: the definition, written out loop by loop in float64 --------------------------------------------
function axis(inSize: number, k: number, s: number, d: number, padding: string): [number, number] {
  const ke = (k - 1) * d + 1;
  if (padding === 'valid') return [Math.floor((inSize - ke) / s) + 1, 0];
  const out = Math.ceil(inSize / s);
  return [out, Math.floor(Math.max((out - 1) * s + ke - inSize, 0) / 2)];
}

/** Calls visit(yIndex, xIndex, fIndex) for every (output, tap) pair whose input cell is inside the input. */
function eachTap(c: Case, visit: (yi: number, xi: number, fi: number) => void): number[] {
  const [N, H, W, C] = c.x;
  const [kh, kw, , F] = c.f;
  const [oh, top] = axis(H, kh, c.strides[0], c.dilation[0], c.padding);
  const [ow, left] = axis(W, kw, c.strides[1], c.dilation[1], c.padding);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let f = 0; f < F; f++)
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++) {
              const iy = i * c.strides[0] + a * c.dilation[0] - top;
              const ix = j * c.strides[1] + b * c.dilation[1] - left;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              for (let ch = 0; ch < C; ch++) {
                visit(((n * oh + i) * ow + j) * F + f, ((n * H + iy) * W + ix) * C + ch, ((a * kw + b) * C + ch) * F + f);
              }
            }
  return [N, oh, ow, F];
}

function refConv(c: Case, x: Float64Array, f: Float64Array): Float64Array {
  const y = new Float64Array(size(conv2dOutputShape(c.x, c.f, c)));
  eachTap(c, (yi, xi, fi) => (y[yi] += x[xi] * f[fi]));
  return y;
}
function refDx(c: Case, dy: Float64Array, f: Float64Array): Float64Array {
  const dx = new Float64Array(size(c.x));
  eachTap(c, (yi, xi, fi) => (dx[xi] += dy[yi] * f[fi]));
  return dx;
}
function refDf(c: Case, x: Float64Array, dy: Float64Array): Float64Array {
  const df = new Float64Array(size(c.f));
  eachTap(c, (yi, xi, fi) => (df[fi] += x[xi] * dy[yi]));
  return df;
}

// ---- Views: the same elements stored in other layouts ------------------------------------------------------------
/** A non-contiguous view that skips every other element of the last axis, starting at an offset. */
function gappedView(data: Float64Array, shape: number[]): Tensor {
  const buf = new Float64Array(2 * data.length + 3).fill(NaN);
  for (let i = 0; i < data.length; i++) buf[3 + 2 * i] = data[i];
  const strides = shape.map((_, i) => 2 * size(shape.slice(i + 1)));
  return new Tensor(buf, shape, strides, 3);
}

// ---- Cases -------------------------------------------------------------------------------------------------------
const cases: Case[] = [];
const add = (x: number[], f: number[], strides: Pair, dilation: Pair, padding: 'valid' | 'same'): void => {
  cases.push({ x, f, strides, dilation, padding });
};
for (const padding of ['valid', 'same'] as const) {
  add([1, 3, 3, 1], [2, 2, 1, 1], [1, 1], [1, 1], padding);
  add([2, 7, 6, 3], [1, 1, 3, 4], [1, 1], [1, 1], padding); // pointwise: no im2col
  add([2, 7, 6, 3], [1, 1, 3, 2], [2, 2], [1, 1], padding);
  add([3, 6, 7, 2], [2, 2, 2, 3], [1, 1], [1, 1], padding); // even kernel: odd padding pixel at bottom/right
  add([2, 8, 8, 1], [3, 3, 1, 4], [2, 2], [1, 1], padding); // even input, stride 2
  add([2, 9, 7, 2], [3, 3, 2, 3], [2, 1], [1, 1], padding);
  add([1, 9, 9, 3], [5, 5, 3, 2], [1, 1], [1, 1], padding);
  add([2, 10, 9, 2], [5, 3, 2, 2], [2, 2], [1, 1], padding);
  add([2, 8, 9, 2], [3, 3, 2, 3], [1, 1], [2, 2], padding); // dilation 2
  add([1, 7, 8, 2], [2, 3, 2, 2], [1, 1], [2, 1], padding);
  add([1, 2, 3, 2], [3, 3, 2, 2], [1, 1], [1, 1], 'same'); // window larger than the input
  add([2, 40, 40, 4], [3, 3, 4, 2], [1, 1], [1, 1], padding); // several chunks, boundaries mid-image
}
const label = (c: Case): string =>
  `x [${c.x}] f [${c.f}] strides ${c.strides} dilation ${c.dilation} ${c.padding}`;

describe.each(BACKEND_SETTINGS)('on the $label backend', (setting) => {
  useBackendSetting(setting);

  describe('conv2d against reference loops', () => {
    for (const c of cases) {
      it(label(c), () => {
        const x = randn(size(c.x));
        const f = randn(size(c.f));
        const want = refConv(c, x, f);
        const y = conv2d(tensor(x, c.x), tensor(f, c.f), c);
        expect(y.shape).toEqual(conv2dOutputShape(c.x, c.f, c));
        expect(y.dtype).toBe('float64');
        expectClose(y.data, want, 1e-12);
        expectClose(conv2d(channelFirstView(x, c.x), gappedView(f, c.f), c).data, want, 1e-12);
        const y32 = conv2d(tensor(x, c.x, 'float32'), tensor(f, c.f, 'float32'), c);
        expect(y32.dtype).toBe('float32');
        expectClose(y32.data, want, 1e-5);
      });
    }
  });

  describe('conv2d backward kernels against reference loops', () => {
    for (const c of cases) {
      it(label(c), () => {
        const x = randn(size(c.x));
        const f = randn(size(c.f));
        const yShape = conv2dOutputShape(c.x, c.f, c);
        const dy = randn(size(yShape));
        const wantDx = refDx(c, dy, f);
        const wantDf = refDf(c, x, dy);
        expectClose(conv2dBackpropInput(tensor(dy, yShape), tensor(f, c.f), c.x, c).data, wantDx, 1e-12);
        expectClose(conv2dBackpropFilter(tensor(x, c.x), tensor(dy, yShape), c.f, c).data, wantDf, 1e-12);
        expectClose(conv2dBackpropInput(gappedView(dy, yShape), channelFirstView(f, c.f), c.x, c).data, wantDx, 1e-12);
        expectClose(conv2dBackpropFilter(gappedView(x, c.x), channelFirstView(dy, yShape), c.f, c).data, wantDf, 1e-12);
        const dx32 = conv2dBackpropInput(tensor(dy, yShape, 'float32'), tensor(f, c.f, 'float32'), c.x, c);
        expect(dx32.dtype).toBe('float32');
        expectClose(dx32.data, wantDx, 1e-5);
        expectClose(conv2dBackpropFilter(tensor(x, c.x, 'float32'), tensor(dy, yShape, 'float32'), c.f, c).data, wantDf, 1e-4);
      });
    }
  });

  describe('conv2d hand-worked cases', () => {
    const x33 = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1], 'float64');
    const diag = tensor([1, 0, 0, 1], [2, 2, 1, 1], 'float64'); // y[i, j] = x[i, j] + x[i+1, j+1]

    it('3×3 input, 2×2 filter, valid and same (odd pixel bottom/right)', () => {
      expect(conv2d(x33, diag).toArray()).toEqual([[[[6], [8]], [[12], [14]]]]);
      expect(conv2d(x33, diag, { padding: 'same' }).toArray()).toEqual([[[[6], [8], [3]], [[12], [14], [6]], [[7], [8], [9]]]]);
    });

    it('stride 2 with a 1×1 filter picks every other cell', () => {
      const x = tensor(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
      expect(conv2d(x, tensor([2], [1, 1, 1, 1]), { strides: 2 }).toArray()).toEqual([[[[2], [6]], [[18], [22]]]]);
    });

    it('dilation 2 spreads the taps', () => {
      const x = tensor(Array.from({ length: 25 }, (_, i) => i + 1), [1, 5, 5, 1]);
      const y = conv2d(x, tensor([1, 1, 1, 1], [2, 2, 1, 1]), { dilation: 2 }); // x[i,j] + x[i,j+2] + x[i+2,j] + x[i+2,j+2]
      expect(y.toArray()).toEqual([[[[28], [32], [36]], [[48], [52], [56]], [[68], [72], [76]]]]);
    });

    it('mixes channels through the filter matrix', () => {
      const y = conv2d(tensor([1, 2], [1, 1, 1, 2]), tensor([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]));
      expect(y.toArray()).toEqual([[[[9, 12, 15]]]]);
    });

    it('backward kernels on the 3×3 case', () => {
      const dy = tensor([1, 1, 1, 1], [1, 2, 2, 1], 'float64');
      expect(conv2dBackpropInput(dy, diag, [1, 3, 3, 1]).toArray()).toEqual([[[[1], [1], [0]], [[1], [2], [1]], [[0], [1], [1]]]]);
      expect(conv2dBackpropFilter(x33, dy, [2, 2, 1, 1]).toArray()).toEqual([[[[12]], [[16]]], [[[24]], [[28]]]]);
    });

    it('never writes into its inputs', () => {
      const x = tensor(randn(2 * 5 * 5 * 2), [2, 5, 5, 2]);
      const f = tensor(randn(3 * 3 * 2 * 3), [3, 3, 2, 3]);
      const before = [x.data.slice(), f.data.slice()];
      const y = conv2d(x, f, { padding: 'same' });
      conv2dBackpropInput(y, f, x.shape, { padding: 'same' });
      conv2dBackpropFilter(x, y, f.shape, { padding: 'same' });
      expect([x.data, f.data]).toEqual(before);
    });
  });
});

describe('conv2d gradients by central differences (float64, h = 1e-6)', () => {
  const gradCases: Case[] = [
    { x: [2, 5, 6, 2], f: [3, 3, 2, 3], strides: [1, 1], dilation: [1, 1], padding: 'same' },
    { x: [2, 5, 6, 2], f: [3, 3, 2, 3], strides: [1, 1], dilation: [1, 1], padding: 'valid' },
    { x: [1, 7, 6, 2], f: [2, 2, 2, 2], strides: [2, 2], dilation: [1, 1], padding: 'same' },
    { x: [2, 7, 7, 1], f: [3, 2, 1, 2], strides: [2, 2], dilation: [1, 1], padding: 'valid' },
    { x: [1, 7, 6, 2], f: [3, 3, 2, 2], strides: [1, 1], dilation: [2, 2], padding: 'same' },
  ];
  for (const c of gradCases) {
    it(label(c), () => {
      const x = randn(size(c.x));
      const f = randn(size(c.f));
      const yShape = conv2dOutputShape(c.x, c.f, c);
      const r = randn(size(yShape));
      const xt = tensor(x, c.x); // shares x: perturbing x perturbs xt
      const ft = tensor(f, c.f);
      const loss = (): number => {
        const y = conv2d(xt, ft, c).data;
        let s = 0;
        for (let i = 0; i < y.length; i++) s += y[i] * r[i];
        return s;
      };
      expectFiniteDifferences(x, loss, conv2dBackpropInput(tensor(r, yShape), ft, c.x, c).data);
      expectFiniteDifferences(f, loss, conv2dBackpropFilter(xt, tensor(r, yShape), c.f, c).data);
    });
  }
});

describe('conv2d errors', () => {
  const x = tensor(new Float64Array(2 * 5 * 5 * 3), [2, 5, 5, 3]);
  const f = tensor(new Float64Array(3 * 3 * 3 * 4), [3, 3, 3, 4]);
  it('names the op, the shapes and what would be valid', () => {
    expect(() => conv2d(x, tensor(new Float64Array(36), [3, 3, 1, 4]))).toThrow(
      /^conv2d: the input has 3 channels \(shape \[2, 5, 5, 3\]\) but the filter expects 1/,
    );
    expect(() => conv2d(tensor(new Float64Array(75), [5, 5, 3]), f)).toThrow(/^conv2d: the input must have rank 4/);
    expect(() => conv2d(x, f, { strides: 2, dilation: 2 })).toThrow(/^conv2d: strides \[2, 2\] > 1 together with dilation \[2, 2\] > 1/);
    expect(() => conv2d(x, f, { padding: 'causal' as 'same' })).toThrow(/^conv2d: unknown padding "causal"; valid paddings are 'valid' and 'same'/);
    expect(() => conv2d(x, f, { strides: 0 })).toThrow(/^conv2d: strides must be a positive integer/);
    expect(() => conv2d(x, f, { dilation: [1, 1.5] as unknown as [number, number] })).toThrow(/^conv2d: dilation must be a positive integer/);
    expect(() => conv2d(x, tensor(new Float64Array(6 * 6 * 3), [6, 6, 3, 1]))).toThrow(
      /^conv2d: with padding 'valid' the window of height 6 does not fit in the input height 5/,
    );
    expect(() => conv2d(x, tensor(new Float32Array(108), [3, 3, 3, 4]))).toThrow(/^conv2d: operands have different dtypes \(float64 and float32\)/);
  });

  it('checks the output gradient and the target shapes of the backward kernels', () => {
    const dy = tensor(new Float64Array(2 * 3 * 3 * 4), [2, 3, 3, 4]);
    expect(() => conv2dBackpropInput(dy, f, [2, 5, 5, 3], { padding: 'same' })).toThrow(
      /^conv2dBackpropInput: the output gradient has shape \[2, 3, 3, 4\]; this geometry needs \[2, 5, 5, 4\]/,
    );
    expect(() => conv2dBackpropFilter(x, dy, [3, 3, 3, 5])).toThrow(
      /^conv2dBackpropFilter: the output gradient has shape \[2, 3, 3, 4\]; this geometry needs \[2, 3, 3, 5\]/,
    );
    expect(() => conv2dBackpropFilter(x, dy, [3, 3, 2, 4])).toThrow(/^conv2dBackpropFilter: the input has 3 channels/);
    expect(() => conv2dBackpropInput(dy, f, [2, -5, 5, 3])).toThrow(/^conv2dBackpropInput: dimension 1 of shape \[2, -5, 5, 3\]/);
  });
});
