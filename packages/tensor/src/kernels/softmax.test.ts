// Tests of softmax and logSoftmax: hand-worked values, stability, and float64 reference loops over random views.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { DType } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import { broadcastTo, slice, stridedSlice, transpose } from './views.js';
import { logSoftmax, softmax } from './softmax.js';
import { rng } from './test-rng.js';

const flat = (t: Tensor): number[] => Array.from(t.toTypedArray());

type ViewKind = 'contiguous' | 'transpose' | 'slice' | 'strided' | 'broadcast';

/** A tensor of `shape` with random values in [-scale, scale], made contiguous or as one kind of view. */
function makeView(shape: number[], kind: ViewKind, dtype: DType, rand: () => number, scale: number): Tensor {
  const int = (n: number): number => Math.floor(rand() * n);
  const fresh = (dims: number[]): Tensor => {
    const n = dims.reduce((p, d) => p * d, 1);
    const data = dtype === 'float64' ? new Float64Array(n + 1) : new Float32Array(n + 1);
    for (let i = 0; i < data.length; i++) data[i] = (rand() * 2 - 1) * scale;
    return new Tensor(data, dims, undefined, 1);
  };
  switch (kind) {
    case 'contiguous':
      return fresh(shape);
    case 'transpose': {
      const perm = shape.map((_, i) => shape.length - 1 - i);
      return transpose(fresh(perm.map((p) => shape[p])), perm);
    }
    case 'slice': {
      const extra = shape.map(() => int(3));
      return slice(fresh(shape.map((d, i) => d + extra[i])), extra.map((e) => int(e + 1)), shape);
    }
    case 'strided': {
      // Every axis reversed with step -2: x[::-2, ::-2, ...] of a tensor twice as long.
      const base = fresh(shape.map((d) => 2 * d));
      const end = shape.map(() => undefined as unknown as number);
      return stridedSlice(base, shape.map((d) => 2 * d - 1), end, shape.map(() => -2));
    }
    case 'broadcast':
      return broadcastTo(fresh(shape.map((d) => (rand() < 0.5 ? 1 : d))), shape);
  }
}

/** Float64 reference: softmax and log-softmax of every slice along `axis`, written at the slice's row-major positions. */
function reference(x: Tensor, axis: number): { soft: number[]; logSoft: number[] } {
  const shape = x.shape;
  const soft = new Array<number>(x.size);
  const logSoft = new Array<number>(x.size);
  const idx = shape.map(() => 0);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  for (let n = 0; n < x.size; n++) {
    if (idx[axis] === 0) {
      const vals: number[] = [];
      for (let k = 0; k < shape[axis]; k++) vals.push(x.get(...idx.map((v, i) => (i === axis ? k : v))));
      let m = -Infinity;
      for (const v of vals) if (v > m) m = v;
      let s = 0;
      for (const v of vals) s += Math.exp(v - m);
      const pos = idx.reduce((p, v, i) => p + v * strides[i], 0);
      for (let k = 0; k < vals.length; k++) {
        soft[pos + k * strides[axis]] = Math.exp(vals[k] - m) / s;
        logSoft[pos + k * strides[axis]] = vals[k] - m - Math.log(s);
      }
    }
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a] < shape[a]) break;
      idx[a] = 0;
    }
  }
  return { soft, logSoft };
}

function expectClose(got: number[], ref: number[], dtype: DType, what: string): void {
  expect(got.length, what).toBe(ref.length);
  const tol = dtype === 'float32' ? 2e-6 : 1e-13;
  for (let i = 0; i < ref.length; i++) {
    expect(Math.abs(got[i] - ref[i]), `${what} [${i}]: ${got[i]} vs ${ref[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(ref[i])));
  }
}

describe('softmax and logSoftmax: hand-worked values', () => {
  it('softmax of [0, ln 2] is [1/3, 2/3]; logSoftmax is its log', () => {
    const x = tensor([0, Math.LN2], undefined, 'float64');
    expectClose(flat(softmax(x)), [1 / 3, 2 / 3], 'float64', 'softmax');
    expectClose(flat(logSoftmax(x)), [-Math.log(3), Math.LN2 - Math.log(3)], 'float64', 'logSoftmax');
    expectClose(flat(softmax(tensor([0, Math.LN2]))), [1 / 3, 2 / 3], 'float32', 'softmax float32');
  });

  it('works along any axis', () => {
    const x = tensor([[1, 1], [0, 0]], undefined, 'float64');
    const e = Math.E / (1 + Math.E);
    expectClose(flat(softmax(x, 0)), [e, e, 1 - e, 1 - e], 'float64', 'axis 0');
    expectClose(flat(softmax(x, 1)), [0.5, 0.5, 0.5, 0.5], 'float64', 'axis 1');
    expectClose(flat(logSoftmax(x, -2)), [Math.log(e), Math.log(e), Math.log(1 - e), Math.log(1 - e)], 'float64', 'log axis -2');
    const y = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    const rowSums = flat(softmax(y, 1));
    expect(rowSums[0] + rowSums[2]).toBeCloseTo(1, 6);
    expect(softmax(y, 1).shape).toEqual([2, 2, 2]);
  });

  it('is stable for large and very negative inputs', () => {
    const big = tensor([1000, 1001], undefined, 'float64');
    const neg = tensor([-1000, -1001], undefined, 'float64');
    const p = 1 / (1 + Math.E); // softmax([0, 1])[0]
    expectClose(flat(softmax(big)), [p, 1 - p], 'float64', 'softmax big');
    expectClose(flat(softmax(neg)), [1 - p, p], 'float64', 'softmax neg');
    expectClose(flat(logSoftmax(big)), [Math.log(p), Math.log(1 - p)], 'float64', 'logSoftmax big');
    expectClose(flat(logSoftmax(neg)), [Math.log(1 - p), Math.log(p)], 'float64', 'logSoftmax neg');
    for (const t of [tensor([1000, 1001]), tensor([-1000, -1001]), tensor([[1000], [1001]])]) {
      for (const v of [...flat(softmax(t, 0)), ...flat(logSoftmax(t, 0))]) expect(Number.isFinite(v)).toBe(true);
    }
    expectClose(flat(softmax(tensor([-Infinity, 0]))), [0, 1], 'float32', 'softmax with -inf');
    expect(flat(logSoftmax(tensor([-Infinity, 0])))).toEqual([-Infinity, 0]);
  });

  it('handles empty tensors, keeps the dtype, and leaves its input alone', () => {
    expect(softmax(tensor([], [2, 0])).shape).toEqual([2, 0]);
    expect(logSoftmax(tensor([], [0, 3]), 0).shape).toEqual([0, 3]);
    const x = tensor([[1, 2], [3, 4]], undefined, 'float64');
    expect(softmax(x).dtype).toBe('float64');
    expect(logSoftmax(tensor([1, 2])).dtype).toBe('float32');
    softmax(x, 0);
    expect(x.toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('rejects an out-of-range axis, naming the op', () => {
    expect(() => softmax(tensor([1, 2]), 1)).toThrow('softmax: axis 1 is out of range for a tensor of rank 1; valid axes are -1..0');
    expect(() => logSoftmax(tensor(1))).toThrow(/logSoftmax: axis -1 is out of range .* a scalar has no axes/);
  });
});

describe('softmax and logSoftmax: property tests against float64 reference loops', () => {
  const dim = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 5 }), weight: 6 }, { arbitrary: fc.constant(0), weight: 1 });
  it('match the reference along every axis of random shapes and views', () => {
    fc.assert(
      fc.property(
        fc.array(dim, { minLength: 1, maxLength: 4 }),
        fc.constantFrom<ViewKind>('contiguous', 'transpose', 'slice', 'strided', 'broadcast'),
        fc.constantFrom<DType>('float32', 'float64'),
        fc.constantFrom(1, 30, 1000),
        fc.integer({ min: 1, max: 0x7fffffff }),
        (shape, kind, dtype, scale, seed) => {
          const x = makeView(shape, kind, dtype, rng(seed), scale);
          expect(x.shape).toEqual(shape);
          for (let axis = 0; axis < shape.length; axis++) {
            const ref = reference(x, axis);
            const what = `${dtype} ${JSON.stringify(shape)} ${kind} scale ${scale} axis ${axis}`;
            const s = softmax(x, axis);
            expect(s.shape).toEqual(shape);
            expectClose(flat(s), ref.soft, dtype, `softmax ${what}`);
            expectClose(flat(softmax(x, axis - shape.length)), ref.soft, dtype, `softmax (negative axis) ${what}`);
            expectClose(flat(logSoftmax(x, axis)), ref.logSoft, dtype, `logSoftmax ${what}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
