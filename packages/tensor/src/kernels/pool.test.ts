// Tests of max and average pooling and their backward kernels: reference loops, hand-worked cases, finite differences.
import { describe, expect, it } from 'vitest';
import { tensor } from '../create.js';
import { Random } from '../random.js';
import { Tensor } from '../tensor.js';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward, pool2dOutputShape } from './pool.js';
import { channelFirstView, expectClose, expectFiniteDifferences } from './test-nhwc.js';

type Pair = [number, number];
interface Case {
  x: number[]; // [N, H, W, C]
  poolSize: Pair;
  strides: Pair;
  padding: 'valid' | 'same';
}

const rng = new Random(99);
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
/** Distinct values 0.01 apart in random order: no ties, and no winner changes under a 1e-6 nudge. */
const distinct = (n: number): Float64Array => Float64Array.from(rng.permutation(n), (v) => (v - n / 2) * 0.01);

// ---- Reference: every window visited cell by cell, in float64 -----------------------------------------------------
function axis(inSize: number, k: number, s: number, padding: string): [number, number] {
  if (padding === 'valid') return [Math.floor((inSize - k) / s) + 1, 0];
  const out = Math.ceil(inSize / s);
  return [out, Math.floor(Math.max((out - 1) * s + k - inSize, 0) / 2)];
}

/** Calls visit(yIndex, cells) with the input indices of the real cells of each output's window, in row-major order. */
function eachWindow(c: Case, visit: (yi: number, cells: number[]) => void): void {
  const [N, H, W, C] = c.x;
  const [oh, top] = axis(H, c.poolSize[0], c.strides[0], c.padding);
  const [ow, left] = axis(W, c.poolSize[1], c.strides[1], c.padding);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < C; ch++) {
          const cells: number[] = [];
          for (let a = 0; a < c.poolSize[0]; a++)
            for (let b = 0; b < c.poolSize[1]; b++) {
              const iy = i * c.strides[0] + a - top;
              const ix = j * c.strides[1] + b - left;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) cells.push(((n * H + iy) * W + ix) * C + ch);
            }
          visit(((n * oh + i) * ow + j) * C + ch, cells);
        }
}

function refMax(c: Case, x: Float64Array): Float64Array {
  const y = new Float64Array(size(pool2dOutputShape(c.x, c)));
  eachWindow(c, (yi, cells) => (y[yi] = Math.max(...cells.map((k) => x[k]))));
  return y;
}
function refAvg(c: Case, x: Float64Array): Float64Array {
  const y = new Float64Array(size(pool2dOutputShape(c.x, c)));
  eachWindow(c, (yi, cells) => (y[yi] = cells.reduce((s, k) => s + x[k], 0) / cells.length));
  return y;
}
function refMaxBackward(c: Case, x: Float64Array, dy: Float64Array): Float64Array {
  const dx = new Float64Array(x.length);
  eachWindow(c, (yi, cells) => {
    let win = cells[0];
    for (const k of cells) if (x[k] > x[win]) win = k; // first maximum in row-major order
    dx[win] += dy[yi];
  });
  return dx;
}
function refAvgBackward(c: Case, dy: Float64Array): Float64Array {
  const dx = new Float64Array(size(c.x));
  eachWindow(c, (yi, cells) => cells.forEach((k) => (dx[k] += dy[yi] / cells.length)));
  return dx;
}

const cases: Case[] = [];
for (const padding of ['valid', 'same'] as const) {
  cases.push({ x: [2, 4, 4, 3], poolSize: [2, 2], strides: [2, 2], padding });
  cases.push({ x: [1, 5, 5, 2], poolSize: [2, 2], strides: [2, 2], padding }); // odd input: 'same' pads bottom/right
  cases.push({ x: [3, 7, 6, 1], poolSize: [3, 3], strides: [2, 2], padding }); // overlapping windows
  cases.push({ x: [2, 6, 7, 2], poolSize: [3, 2], strides: [1, 1], padding });
  cases.push({ x: [1, 8, 9, 3], poolSize: [5, 5], strides: [1, 2], padding });
  cases.push({ x: [2, 6, 6, 2], poolSize: [1, 1], strides: [2, 2], padding });
  cases.push({ x: [1, 9, 8, 2], poolSize: [2, 2], strides: [3, 3], padding }); // strides larger than the window
}
const label = (c: Case): string => `x [${c.x}] poolSize ${c.poolSize} strides ${c.strides} ${c.padding}`;

describe('poolings against reference loops', () => {
  for (const c of cases) {
    it(label(c), () => {
      const x = Float64Array.from({ length: size(c.x) }, () => rng.normal());
      const yShape = pool2dOutputShape(c.x, c);
      const dy = Float64Array.from({ length: size(yShape) }, () => rng.normal());
      for (const xt of [tensor(x, c.x), channelFirstView(x, c.x)]) {
        const y = maxPool2d(xt, c);
        expect(y.shape).toEqual(yShape);
        expectClose(y.data, refMax(c, x), 0);
        expectClose(avgPool2d(xt, c).data, refAvg(c, x), 1e-14);
        expectClose(maxPool2dBackward(channelFirstView(dy, yShape), xt, c).data, refMaxBackward(c, x, dy), 1e-14);
      }
      expectClose(avgPool2dBackward(tensor(dy, yShape), c.x, c).data, refAvgBackward(c, dy), 1e-14);
      expectClose(avgPool2dBackward(channelFirstView(dy, yShape), c.x, c).data, refAvgBackward(c, dy), 1e-14);
      const x32 = tensor(x, c.x, 'float32');
      expect(maxPool2d(x32, c).dtype).toBe('float32');
      expectClose(avgPool2d(x32, c).data, refAvg(c, x), 1e-6);
    });
  }
});

describe('pooling hand-worked cases', () => {
  const x33 = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1], 'float64');

  it("defaults to a 2×2 window with stride 2 and 'valid' padding", () => {
    expect(maxPool2d(x33).toArray()).toEqual([[[[5]]]]);
    expect(avgPool2d(x33).toArray()).toEqual([[[[3]]]]);
  });

  it("'same' pads at the bottom/right; padded cells never win, nor count in the average", () => {
    expect(maxPool2d(x33, { padding: 'same' }).toArray()).toEqual([[[[5], [6]], [[8], [9]]]]);
    const negative = tensor([-1, -2, -3, -4, -5, -6, -7, -8, -9], [1, 3, 3, 1]);
    expect(maxPool2d(negative, { padding: 'same' }).toArray()).toEqual([[[[-1], [-3]], [[-7], [-9]]]]);
    expect(avgPool2d(x33, { padding: 'same' }).toArray()).toEqual([[[[3], [4.5]], [[7.5], [9]]]]);
    const dx = avgPool2dBackward(tensor([1, 2, 3, 4], [1, 2, 2, 1]), [1, 3, 3, 1], { padding: 'same' });
    expect(dx.toArray()).toEqual([[[[0.25], [0.25], [1]], [[0.25], [0.25], [1]], [[1.5], [1.5], [4]]]]);
  });

  it('sums the gradients of overlapping windows that share a maximum', () => {
    const x = tensor([1, 2, 3, 4, 9, 6, 7, 8, 5], [1, 3, 3, 1]);
    const opts = { poolSize: 2, strides: 1 };
    expect(maxPool2d(x, opts).toArray()).toEqual([[[[9], [9]], [[9], [9]]]]);
    const dx = maxPool2dBackward(tensor([1, 10, 100, 1000], [1, 2, 2, 1]), x, opts);
    expect(dx.toArray()).toEqual([[[[0], [0], [0]], [[0], [1111], [0]], [[0], [0], [0]]]]);
  });

  it('on ties, the first maximum in row-major window order takes the gradient', () => {
    const flat = tensor([7, 7, 7, 7], [1, 2, 2, 1]);
    expect(maxPool2dBackward(tensor([5], [1, 1, 1, 1]), flat).toArray()).toEqual([[[[5], [0]], [[0], [0]]]]);
    const tie = tensor([1, 3, 3, 2], [1, 2, 2, 1]); // cells (0, 1) and (1, 0) tie: (0, 1) comes first
    expect(maxPool2dBackward(tensor([5], [1, 1, 1, 1]), tie).toArray()).toEqual([[[[0], [5]], [[0], [0]]]]);
    const minusInf = tensor([-Infinity, -Infinity, -Infinity, -Infinity], [1, 2, 2, 1]);
    expect(maxPool2dBackward(tensor([5], [1, 1, 1, 1]), minusInf).toArray()).toEqual([[[[5], [0]], [[0], [0]]]]);
  });

  it('keeps channels apart', () => {
    const x = tensor([1, 8, 2, 7, 3, 6, 4, 5], [1, 2, 2, 2]);
    expect(maxPool2d(x).toArray()).toEqual([[[[4, 8]]]]);
    expect(avgPool2d(x).toArray()).toEqual([[[[2.5, 6.5]]]]);
  });

  it('never writes into its inputs', () => {
    const x = tensor(Float64Array.from({ length: 50 }, () => rng.normal()), [2, 5, 5, 1]);
    const before = x.data.slice();
    const y = maxPool2d(x, { padding: 'same' });
    maxPool2dBackward(y, x, { padding: 'same' });
    avgPool2dBackward(avgPool2d(x), x.shape);
    expect(x.data).toEqual(before);
  });
});

describe('pooling gradients by central differences (float64, h = 1e-6)', () => {
  const gradCases: Case[] = [
    { x: [2, 5, 6, 2], poolSize: [2, 2], strides: [2, 2], padding: 'same' },
    { x: [2, 5, 6, 2], poolSize: [2, 2], strides: [2, 2], padding: 'valid' },
    { x: [1, 7, 6, 2], poolSize: [3, 3], strides: [2, 2], padding: 'same' },
    { x: [1, 6, 7, 1], poolSize: [3, 2], strides: [1, 1], padding: 'valid' },
  ];
  for (const c of gradCases) {
    it(label(c), () => {
      const x = distinct(size(c.x));
      const xt = tensor(x, c.x); // shares x
      const yShape = pool2dOutputShape(c.x, c);
      const r = Float64Array.from({ length: size(yShape) }, () => rng.normal());
      const lossOf = (pool: (t: Tensor) => Tensor) => (): number => {
        const y = pool(xt).data;
        let s = 0;
        for (let i = 0; i < y.length; i++) s += y[i] * r[i];
        return s;
      };
      expectFiniteDifferences(x, lossOf((t) => maxPool2d(t, c)), maxPool2dBackward(tensor(r, yShape), xt, c).data);
      expectFiniteDifferences(x, lossOf((t) => avgPool2d(t, c)), avgPool2dBackward(tensor(r, yShape), c.x, c).data);
    });
  }
});

describe('pooling errors', () => {
  const x = tensor(new Float64Array(2 * 5 * 5 * 3), [2, 5, 5, 3]);
  it('names the op, the values and what would be valid', () => {
    expect(() => maxPool2d(tensor(new Float64Array(75), [5, 5, 3]))).toThrow(/^maxPool2d: the input must have rank 4 \[batch, height, width, channels\]/);
    expect(() => avgPool2d(x, { poolSize: 0 })).toThrow(/^avgPool2d: poolSize must be a positive integer or a pair \[height, width\] of them, got 0/);
    expect(() => maxPool2d(x, { strides: [2, 2.5] as unknown as Pair })).toThrow(/^maxPool2d: strides must be a positive integer/);
    expect(() => maxPool2d(x, { padding: 'SAME' as 'same' })).toThrow(/^maxPool2d: unknown padding "SAME"; valid paddings are 'valid' and 'same'/);
    expect(() => maxPool2d(x, { poolSize: 6 })).toThrow(/^maxPool2d: with padding 'valid' the window of height 6 does not fit in the input height 5/);
  });

  it('checks the output gradient of the backward kernels', () => {
    const dy = tensor(new Float64Array(2 * 3 * 3 * 3), [2, 3, 3, 3]);
    expect(() => maxPool2dBackward(dy, x)).toThrow(/^maxPool2dBackward: the output gradient has shape \[2, 3, 3, 3\]; this geometry needs \[2, 2, 2, 3\]/);
    expect(() => avgPool2dBackward(dy, [2, 5, 5, 3])).toThrow(
      /^avgPool2dBackward: the output gradient has shape \[2, 3, 3, 3\]; this geometry needs \[2, 2, 2, 3\]/,
    );
    expect(() => maxPool2dBackward(tensor(new Float32Array(27 * 2), [2, 3, 3, 3]), x, { padding: 'same' })).toThrow(
      /^maxPool2dBackward: operands have different dtypes/,
    );
    expect(() => avgPool2dBackward(dy, [2, 5, 5])).toThrow(/^avgPool2dBackward: the input must have rank 4/);
  });
});
