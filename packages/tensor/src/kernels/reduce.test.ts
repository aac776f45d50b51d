// Tests of the reductions: hand-worked values, float64 reference loops over random views, stability, accuracy, errors.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { DType } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import { broadcastTo, slice, stridedSlice, transpose } from './views.js';
import { argmax, argmin, logSumExp, max, mean, min, moments, prod, sum, variance } from './reduce.js';
import { rng } from './test-rng.js';

const flat = (t: Tensor): number[] => Array.from(t.toTypedArray());

type ViewKind = 'transpose' | 'slice' | 'strided' | 'broadcast';

/** A tensor of `shape` made by the view operations `kinds` (outermost first) over fresh random data. */
function makeView(shape: number[], kinds: ViewKind[], dtype: DType, rand: () => number, ties: boolean): Tensor {
  const int = (n: number): number => Math.floor(rand() * n);
  const [kind, ...rest] = kinds;
  if (kind === undefined) {
    const size = shape.reduce((p, d) => p * d, 1);
    const offset = int(3);
    const data = dtype === 'float64' ? new Float64Array(size + offset + int(3)) : new Float32Array(size + offset + int(3));
    for (let i = 0; i < data.length; i++) data[i] = ties ? int(7) - 3 : rand() * 4 - 2;
    return new Tensor(data, shape, undefined, offset);
  }
  if (kind === 'transpose') {
    const perm = shape.map((_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const base = new Array<number>(shape.length);
    perm.forEach((p, i) => (base[p] = shape[i]));
    return transpose(makeView(base, rest, dtype, rand, ties), perm);
  }
  if (kind === 'slice') {
    const extra = shape.map(() => int(3));
    const base = makeView(shape.map((d, i) => d + extra[i]), rest, dtype, rand, ties);
    return slice(base, extra.map((e) => int(e + 1)), shape);
  }
  if (kind === 'strided') {
    const steps = shape.map(() => (1 + int(2)) * (rand() < 0.5 ? -1 : 1));
    const baseShape = shape.map((d, i) => d * Math.abs(steps[i]) + int(2));
    const base = makeView(baseShape, rest, dtype, rand, ties);
    const begin = steps.map((s, i) => (s > 0 ? 0 : baseShape[i] - 1));
    const end = steps.map((s, i) => begin[i] + shape[i] * s);
    return stridedSlice(base, begin, end.map((e) => (e < 0 ? (undefined as unknown as number) : e)), steps);
  }
  const lead = int(shape.length + 1);
  const base = shape.slice(lead).map((d) => (rand() < 0.5 ? 1 : d));
  return broadcastTo(makeView(base, rest, dtype, rand, ties), shape);
}

/** The elements of `x` in row-major order, read one by one with get(). */
function valuesOf(x: Tensor): number[] {
  const out: number[] = [];
  const idx = x.shape.map(() => 0);
  for (let n = 0; n < x.size; n++) {
    out.push(x.get(...idx));
    for (let a = x.rank - 1; a >= 0; a--) {
      if (++idx[a] < x.shape[a]) break;
      idx[a] = 0;
    }
  }
  return out;
}

/** The reference split: for each output element (row-major over kept axes), the reduced elements in row-major order. */
function groupsOf(shape: number[], reduced: boolean[], values: number[]): number[][] {
  const keptSize = shape.reduce((p, d, i) => (reduced[i] ? p : p * d), 1);
  const groups: number[][] = Array.from({ length: keptSize }, () => []);
  const idx = shape.map(() => 0);
  for (let n = 0; n < values.length; n++) {
    let o = 0;
    for (let a = 0; a < shape.length; a++) if (!reduced[a]) o = o * shape[a] + idx[a];
    groups[o].push(values[n]);
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a] < shape[a]) break;
      idx[a] = 0;
    }
  }
  return groups;
}

// Plain float64 reference loops.
const refSum = (v: number[]): number => { let s = 0; for (const x of v) s += x; return s; };
const refProd = (v: number[]): number => { let s = 1; for (const x of v) s *= x; return s; };
const refMax = (v: number[]): number => { let m = -Infinity; for (const x of v) if (x > m) m = x; return m; };
const refMin = (v: number[]): number => { let m = Infinity; for (const x of v) if (x < m) m = x; return m; };
const refArgmax = (v: number[]): number => { let k = 0; for (let i = 1; i < v.length; i++) if (v[i] > v[k]) k = i; return k; };
const refArgmin = (v: number[]): number => { let k = 0; for (let i = 1; i < v.length; i++) if (v[i] < v[k]) k = i; return k; };
const refVar = (v: number[]): number => {
  const mu = refSum(v) / v.length;
  let q = 0;
  for (const x of v) q += (x - mu) * (x - mu);
  return q / v.length;
};
const refLse = (v: number[]): number => {
  const m = refMax(v);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const x of v) s += Math.exp(x - m);
  return m + Math.log(s);
};

/** Expects `got` to match the float64 reference `ref` (rounded to `dtype`) within rounding error relative to `scale`. */
function expectClose(got: number[], ref: number[], scales: number[], dtype: DType, what: string): void {
  expect(got.length, what).toBe(ref.length);
  const tol = dtype === 'float32' ? 2e-6 : 1e-12;
  for (let i = 0; i < ref.length; i++) {
    const e = dtype === 'float32' ? Math.fround(ref[i]) : ref[i];
    if (!Number.isFinite(e)) expect(got[i], `${what} [${i}]`).toBe(e);
    else expect(Math.abs(got[i] - e), `${what} [${i}]: ${got[i]} vs ${e}`).toBeLessThanOrEqual(tol * (scales[i] + Math.abs(e)));
  }
}

describe('reductions: hand-worked values', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);

  it('sum over each axis, all axes, none, and with keepDims', () => {
    expect(sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(sum(x, 1).toArray()).toEqual([6, 15]);
    expect(sum(x).toArray()).toBe(21);
    expect(sum(x, [0, 1]).shape).toEqual([]);
    expect(sum(x, -1, true).toArray()).toEqual([[6], [15]]);
    expect(sum(x, 0, true).shape).toEqual([1, 3]);
    expect(sum(x, []).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(sum(transpose(x), 0).toArray()).toEqual([6, 15]);
    expect(sum(tensor(7)).toArray()).toBe(7);
  });

  it('mean, prod, max and min', () => {
    expect(mean(tensor([[1, 2], [3, 4]]), 1).toArray()).toEqual([1.5, 3.5]);
    expect(mean(tensor([[1, 2], [3, 4]])).item()).toBe(2.5);
    expect(prod(tensor([[1, 2], [3, 4]]), 0).toArray()).toEqual([3, 8]);
    expect(prod(tensor([[1, 2], [3, 4]])).item()).toBe(24);
    expect(max(tensor([[1, 5], [7, 2]]), 1).toArray()).toEqual([5, 7]);
    expect(max(tensor([[1, 5], [7, 2]]), 0).toArray()).toEqual([7, 5]);
    expect(min(tensor([[1, 5], [7, 2]]), 1).toArray()).toEqual([1, 2]);
    expect(min(tensor([[-1, 5], [7, -2]])).item()).toBe(-2);
    expect(max(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
  });

  it('variance (biased, two-pass) and moments', () => {
    expect(variance(tensor([1, 2, 3, 4])).item()).toBe(1.25);
    expect(variance(tensor([[1, 2], [3, 5]]), 0).toArray()).toEqual([1, 2.25]);
    const { mean: mu, variance: v } = moments(tensor([[1, 2], [3, 5]]), 0, true);
    expect(mu.toArray()).toEqual([[2, 3.5]]);
    expect(v.toArray()).toEqual([[1, 2.25]]);
    // A large offset: a one-pass E[x²] - E[x]² would lose every digit here in float32.
    const shifted = tensor([1e4 + 1, 1e4 + 2, 1e4 + 3, 1e4 + 4]);
    expect(variance(shifted).item()).toBe(1.25);
  });

  it('logSumExp, including infinities and the stable range', () => {
    expect(logSumExp(tensor([0, 0], undefined, 'float64')).item()).toBeCloseTo(Math.LN2, 15);
    expect(logSumExp(tensor([1000, 1001], undefined, 'float64')).item()).toBeCloseTo(1001.3132616875182, 10);
    expect(logSumExp(tensor([-1000, -1001], undefined, 'float64')).item()).toBeCloseTo(-999.6867383124818, 10);
    expect(logSumExp(tensor([1000, 1001])).item()).toBeCloseTo(1001.3132616875182, 3);
    expect(logSumExp(tensor([[1000, 1001], [-1000, -1001]], undefined, 'float64'), 1).toArray()).toEqual([
      1001 + Math.log1p(Math.exp(-1)),
      -1000 + Math.log1p(Math.exp(-1)),
    ]);
    expect(logSumExp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(logSumExp(tensor([Infinity, 1])).item()).toBe(Infinity);
    expect(logSumExp(tensor([], [0])).item()).toBe(-Infinity);
  });

  it('argmax and argmin: per axis, flattened, first occurrence on ties', () => {
    const y = tensor([[1, 9, 9], [4, 0, 2]]);
    expect(argmax(y, 1).toArray()).toEqual([1, 0]);
    expect(argmax(y, 0).toArray()).toEqual([1, 0, 0]);
    expect(argmax(y, -1).toArray()).toEqual([1, 0]);
    expect(argmax(y).toArray()).toBe(1);
    expect(argmax(transpose(y)).toArray()).toBe(2); // [[1, 4], [9, 0], [9, 2]] flattened: 9 first at 2
    expect(argmin(tensor([[1, 9, 0], [4, 0, 0]]), 1).toArray()).toEqual([2, 1]);
    expect(argmin(y).toArray()).toBe(4);
    expect(argmax(tensor(3)).toArray()).toBe(0);
    expect(argmax(y, 1).dtype).toBe('float32');
    expect(argmax(tensor([1, 2], undefined, 'float64')).dtype).toBe('float64');
  });

  it('NaN: max and min propagate it, argmax and argmin point at the first one', () => {
    const v = tensor([1, NaN, 3, NaN]);
    expect(max(v).item()).toBeNaN();
    expect(min(v).item()).toBeNaN();
    expect(argmax(v).item()).toBe(1);
    expect(argmin(v).item()).toBe(1);
    expect(flat(max(tensor([[NaN, 1], [2, 3]]), 0))).toEqual([NaN, 3]);
    expect(argmax(tensor([[5, 1], [NaN, 3], [NaN, 9]]), 0).toArray()).toEqual([1, 2]);
  });

  it('empty reductions: sum 0, prod 1, mean and variance NaN, max without identity throws', () => {
    const e = tensor([], [0, 3]);
    expect(sum(e, 0).toArray()).toEqual([0, 0, 0]);
    expect(prod(e, 0).toArray()).toEqual([1, 1, 1]);
    expect(flat(mean(e, 0))).toEqual([NaN, NaN, NaN]);
    expect(flat(variance(e, 0))).toEqual([NaN, NaN, NaN]);
    expect(sum(e).item()).toBe(0);
    expect(max(e, 1).shape).toEqual([0]); // nothing to fill: no error, as in NumPy
    expect(() => max(e, 0)).toThrow('max: cannot reduce shape [0, 3] over axes [0]: the reduced axes are empty and max has no identity');
    expect(() => min(e)).toThrow(/min: .*\[0, 3\].*no identity/);
    expect(() => argmax(tensor([], [0]))).toThrow(/argmax: .*\[0\].*no identity/);
    expect(() => argmin(e, 0)).toThrow(/argmin: .*no identity/);
  });

  it('errors name the op, the axis and the valid range', () => {
    expect(() => sum(x, 2)).toThrow('sum: axis 2 is out of range for a tensor of rank 2; valid axes are -2..1');
    expect(() => mean(x, [0, -2])).toThrow('mean: axis 0 is repeated in [0, -2]');
    expect(() => argmax(x, -3)).toThrow(/argmax: axis -3 is out of range/);
    expect(() => max(tensor(1), 0)).toThrow(/max: axis 0 is out of range .* a scalar has no axes/);
    expect(() => variance(x, 1.5)).toThrow(/variance: axis 1.5 is out of range/);
  });

  it('keeps the dtype and never writes into its input', () => {
    const d = tensor([[1, 2], [3, 4]], undefined, 'float64');
    const before = flat(d);
    expect(sum(d, 0).dtype).toBe('float64');
    moments(d, 0);
    logSumExp(d, 1);
    expect(flat(d)).toEqual(before);
  });
});

describe('reductions: float32 accuracy', () => {
  it('sums 1e6 copies of float32(0.1) to within 1e-6 of 1e6 · float32(0.1) ≈ 1e5, along any layout', () => {
    const data = new Float32Array(1_000_000).fill(0.1);
    const expected = 1e6 * Math.fround(0.1); // 100000.0015; naive float32 accumulation gives 1e5 ± 1%
    const rel = (v: number): number => Math.abs(v - expected) / expected;
    expect(rel(sum(tensor(data)).item())).toBeLessThan(1e-6);
    expect(rel(mean(tensor(data)).item() * 1e6)).toBeLessThan(1e-6);
    expect(rel(flat(sum(tensor(data, [1000, 1000]), 0)).reduce((p, v) => p + v, 0))).toBeLessThan(1e-6);
    const m = tensor(data, [1000, 1000]);
    expect(rel(sum(sum(m, 0), 0, false).item())).toBeLessThan(1e-6);
    expect(Math.abs(variance(m).item())).toBeLessThan(1e-12);
  });
});

describe('reductions: property tests against float64 reference loops', () => {
  const dim = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 6 }, { arbitrary: fc.constant(0), weight: 1 });
  const caseArb = fc.record({
    shape: fc.array(dim, { minLength: 0, maxLength: 4 }),
    kinds: fc.array(fc.constantFrom<ViewKind>('transpose', 'slice', 'strided', 'broadcast'), { maxLength: 2 }),
    dtype: fc.constantFrom<DType>('float32', 'float64'),
    ties: fc.boolean(),
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
  });

  it('every reduction over every subset of axes, with and without keepDims, on any view', () => {
    fc.assert(
      fc.property(caseArb, ({ shape, kinds, dtype, ties, seed }) => {
        const rand = rng(seed);
        const x = makeView(shape, kinds, dtype, rand, ties);
        expect(x.shape).toEqual(shape);
        const values = valuesOf(x);
        const rank = shape.length;
        for (let mask = -1; mask < 1 << rank; mask++) {
          const all = mask < 0;
          const reduced = shape.map((_, i) => all || ((mask >> i) & 1) === 1);
          const list = shape.flatMap((_, i) => (reduced[i] ? [rand() < 0.5 ? i - rank : i] : []));
          const axes = all ? undefined : list.length === 1 && rand() < 0.5 ? list[0] : list;
          const groups = groupsOf(shape, reduced, values);
          const abs = groups.map((g) => refSum(g.map(Math.abs)));
          const sq = groups.map((g) => refSum(g.map((v) => v * v)) / g.length);
          const n = groups.map((g) => g.length);
          const empty = groups.length > 0 && groups[0].length === 0;
          for (const keepDims of [false, true]) {
            const outShape = keepDims ? shape.map((d, i) => (reduced[i] ? 1 : d)) : shape.filter((_, i) => !reduced[i]);
            const what = `${dtype} ${JSON.stringify(shape)} ${kinds.join('+')} axes ${JSON.stringify(axes)} keepDims ${keepDims}`;
            const s = sum(x, axes, keepDims);
            expect(s.shape, what).toEqual(outShape);
            expect(s.dtype).toBe(dtype);
            expectClose(flat(s), groups.map(refSum), abs, dtype, `sum ${what}`);
            expectClose(flat(mean(x, axes, keepDims)), groups.map((g) => refSum(g) / g.length), abs.map((a, i) => a / n[i]), dtype, `mean ${what}`);
            expectClose(flat(prod(x, axes, keepDims)), groups.map(refProd), abs.map(() => 0), dtype, `prod ${what}`);
            const mo = moments(x, axes, keepDims);
            expect(mo.variance.shape).toEqual(outShape);
            expectClose(flat(mo.mean), groups.map((g) => refSum(g) / g.length), abs.map((a, i) => a / n[i]), dtype, `moments.mean ${what}`);
            expectClose(flat(mo.variance), groups.map(refVar), sq, dtype, `moments.variance ${what}`);
            expectClose(flat(variance(x, axes, keepDims)), groups.map(refVar), sq, dtype, `variance ${what}`);
            expectClose(flat(logSumExp(x, axes, keepDims)), groups.map(refLse), groups.map(() => 1), dtype, `logSumExp ${what}`);
            if (empty) {
              expect(() => max(x, axes, keepDims)).toThrow(/max: .*no identity/);
              expect(() => min(x, axes, keepDims)).toThrow(/min: .*no identity/);
            } else {
              expect(flat(max(x, axes, keepDims)), `max ${what}`).toEqual(groups.map(refMax));
              expect(flat(min(x, axes, keepDims)), `min ${what}`).toEqual(groups.map(refMin));
            }
          }
          if (all || list.length === 1) {
            const axis = all ? undefined : list[0];
            if (empty) {
              expect(() => argmax(x, axis)).toThrow(/argmax: .*no identity/);
            } else {
              const what = `${JSON.stringify(shape)} ${kinds.join('+')} axis ${axis}`;
              const am = argmax(x, axis);
              expect(am.shape).toEqual(shape.filter((_, i) => !reduced[i]));
              expect(flat(am), `argmax ${what}`).toEqual(groups.map(refArgmax));
              expect(flat(argmin(x, axis)), `argmin ${what}`).toEqual(groups.map(refArgmin));
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
