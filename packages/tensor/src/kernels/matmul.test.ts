// Tests of matmul and gemm: hand-worked products, errors, and property tests against a float64 triple loop,
// on each backend (TypeScript; WebAssembly on one thread; WebAssembly on two threads).
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import type { DType, TypedArray } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import * as strided from '../strided.js';
import { gemm } from './gemm.js';
import { matmul } from './matmul.js';
import { BACKEND_SETTINGS, type BackendSetting, useBackendSetting } from './test-utils.js';
import { broadcastTo, slice, stridedSlice, transpose } from './views.js';
import { rng } from './test-rng.js';

// Count the copies matmul makes, to check that transposed views are read in place.
vi.mock('../strided.js', async (importOriginal) => {
  const actual = await importOriginal<typeof strided>();
  return { ...actual, copyToContiguous: vi.fn(actual.copyToContiguous) };
});
const copies = vi.mocked(strided.copyToContiguous);

const f64 = (values: number[], shape?: number[]): Tensor => tensor(values, shape, 'float64');

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
const random = (shape: number[], dtype: DType, next: () => number): Tensor =>
  tensor(Array.from({ length: sizeOf(shape) }, () => 2 * next() - 1), shape, dtype);

// ---- the reference: NumPy's matmul rules in plain loops over float64 copies --------------------------------

interface Reference {
  shape: number[];
  values: Float64Array;
  /** Σₚ |a|·|b| per element: the scale of the rounding error. */
  scale: Float64Array;
}

function reference(a: Tensor, b: Tensor, tA = false, tB = false): Reference {
  const av = Float64Array.from(a.toTypedArray());
  const bv = Float64Array.from(b.toTypedArray());
  const as = a.rank === 1 ? [1, a.shape[0]] : [...a.shape];
  const bs = b.rank === 1 ? [b.shape[0], 1] : [...b.shape];
  const [ar, ac] = as.slice(-2);
  const [br, bc] = bs.slice(-2);
  const m = tA && a.rank > 1 ? ac : ar;
  const k = tA && a.rank > 1 ? ar : ac;
  const n = tB && b.rank > 1 ? br : bc;
  const ba = as.slice(0, -2);
  const bb = bs.slice(0, -2);
  const rank = Math.max(ba.length, bb.length);
  const pad = (s: number[]): number[] => [...Array<number>(rank - s.length).fill(1), ...s];
  const pa = pad(ba);
  const pb = pad(bb);
  const batch = pa.map((d, i) => Math.max(d, pb[i]));
  const count = sizeOf(batch);
  const values = new Float64Array(count * m * n);
  const scale = new Float64Array(count * m * n);
  for (let t = 0; t < count; t++) {
    // Decompose t into a batch index, then into each operand's (broadcast) batch number.
    let rest = t;
    let ia = 0;
    let ib = 0;
    let wa = 1;
    let wb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const x = rest % batch[d];
      rest = Math.floor(rest / batch[d]);
      ia += (pa[d] === 1 ? 0 : x) * wa;
      ib += (pb[d] === 1 ? 0 : x) * wb;
      wa *= pa[d];
      wb *= pb[d];
    }
    // Steps of op(A) along i and p and of op(B) along p and j in the row-major copies.
    const [ai, ap] = tA && a.rank > 1 ? [1, ac] : [ac, 1];
    const [bp, bj] = tB && b.rank > 1 ? [1, bc] : [bc, 1];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let z = 0;
        for (let p = 0, x = ia * ar * ac + i * ai, y = ib * br * bc + j * bj; p < k; p++, x += ap, y += bp) {
          s += av[x] * bv[y];
          z += Math.abs(av[x] * bv[y]);
        }
        values[(t * m + i) * n + j] = s;
        scale[(t * m + i) * n + j] = z;
      }
    }
  }
  const shape = [...batch, ...(a.rank === 1 ? [] : [m]), ...(b.rank === 1 ? [] : [n])];
  return { shape, values, scale };
}

/** Checks `got` against the reference within `tol` relative to the error scale of each element. */
function expectClose(got: Tensor, ref: Reference, tol: number): void {
  expect(got.shape).toEqual(ref.shape);
  if (got.size > 0) expect(got.isContiguous).toBe(true); // (Tensor calls an empty [2, 0] non-contiguous)
  const g = got.toTypedArray();
  for (let i = 0; i < ref.values.length; i++) {
    const err = Math.abs(g[i] - ref.values[i]);
    if (!(err <= tol * (ref.scale[i] + 1e-30))) {
      throw new Error(`element ${i}: got ${g[i]}, expected ${ref.values[i]} (error ${err}, scale ${ref.scale[i]})`);
    }
  }
}

const TOL: Record<DType, number> = { float32: 1e-5, float64: 1e-12 };

// ---- operands in many layouts ----------------------------------------------------------------------------

const LAYOUTS = ['contiguous', 'transposed', 'sliced', 'stepped', 'flipped', 'broadcastRows', 'broadcastBatch'] as const;
type Layout = (typeof LAYOUTS)[number];

/** A tensor of shape [...batch, rows, cols] whose memory layout is `layout`; values from `next`. */
function operand(batch: number[], rows: number, cols: number, layout: Layout, dtype: DType, next: () => number): Tensor {
  const lead = batch.map(() => 0);
  const all = batch.map(() => 1);
  switch (layout) {
    case 'contiguous':
      return random([...batch, rows, cols], dtype, next);
    case 'transposed': {
      const perm = [...batch.map((_, i) => i), batch.length + 1, batch.length];
      return transpose(random([...batch, cols, rows], dtype, next), perm);
    }
    case 'sliced':
      return slice(random([...batch, rows + 2, cols + 3], dtype, next), [...lead, 1, 2], [...batch, rows, cols]);
    case 'stepped': // both matrix strides ≠ 1: matmul has to copy
      return stridedSlice(random([...batch, 2 * rows, 2 * cols], dtype, next), [], [], [...all, 2, 2]);
    case 'flipped': // rows in reverse order: a negative row stride
      return stridedSlice(random([...batch, rows, cols], dtype, next), [], [], [...all, -1, 1]);
    case 'broadcastRows': // every row the same: row stride 0
      return broadcastTo(random([...batch, 1, cols], dtype, next), [...batch, rows, cols]);
    case 'broadcastBatch': // every batch entry the same: batch strides 0
      return broadcastTo(random([rows, cols], dtype, next), [...batch, rows, cols]);
  }
}

/** The dtypes a backend setting tests: float64 runs the TypeScript kernel on every backend, so only 'js' tests it. */
const dtypesOf = (setting: BackendSetting): DType[] => (setting.backend === 'js' ? ['float32', 'float64'] : ['float32']);
/** Matrix sizes: mostly 0..70 (across the 3-wide tiles and the direct/packed threshold), sometimes past MC = 96. */
const dim = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 70 }) }, { weight: 1, arbitrary: fc.constantFrom(95, 97, 100, 129) });

describe.each(BACKEND_SETTINGS)('on the $label backend', (setting) => {
  useBackendSetting(setting);
  const dtypes = fc.constantFrom<DType>(...dtypesOf(setting));

  describe('matmul: hand-worked products', () => {
    it('multiplies 2×3 by 3×2', () => {
      const a = f64([1, 2, 3, 4, 5, 6], [2, 3]);
      const b = f64([7, 8, 9, 10, 11, 12], [3, 2]);
      expect(matmul(a, b).toArray()).toEqual([[58, 64], [139, 154]]);
      expect(matmul(b, a).toArray()).toEqual([[39, 54, 69], [49, 68, 87], [59, 82, 105]]);
    });
    it('honours transposeA and transposeB', () => {
      const a = f64([1, 2, 3, 4, 5, 6], [2, 3]);
      expect(matmul(a, a, { transposeB: true }).toArray()).toEqual([[14, 32], [32, 77]]);
      expect(matmul(a, a, { transposeA: true }).toArray()).toEqual([[17, 22, 27], [22, 29, 36], [27, 36, 45]]);
      const b = f64([7, 8, 9, 10, 11, 12], [3, 2]);
      // aᵀ·bᵀ = (b·a)ᵀ
      expect(matmul(a, b, { transposeA: true, transposeB: true }).toArray()).toEqual([[39, 49, 59], [54, 68, 82], [69, 87, 105]]);
    });
    it('reads transposed views in place and gives the same as transposeA/B', () => {
      const w = f64([1, 2, 3, 4, 5, 6], [2, 3]);
      const x = f64([1, 0, -1, 2, 1, 0], [2, 3]);
      copies.mockClear();
      const viaView = matmul(transpose(w), x);
      expect(copies).not.toHaveBeenCalled();
      expect(viaView.toArray()).toEqual([[9, 4, -1], [12, 5, -2], [15, 6, -3]]);
      expect(matmul(w, x, { transposeA: true }).toArray()).toEqual(viaView.toArray());
      // A transposed view with transposeA is the original matrix again.
      expect(matmul(transpose(w), x, { transposeA: true, transposeB: true }).toArray()).toEqual([[-2, 4], [-2, 13]]);
    });
    it('copies only views without a unit stride in their last two axes', () => {
      const base = f64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [4, 4]);
      const stepped = stridedSlice(base, [0, 0], [4, 4], [2, 2]); // [[1, 3], [9, 11]]
      copies.mockClear();
      expect(matmul(stepped, f64([1, 1], [2, 1])).toArray()).toEqual([[4], [20]]);
      expect(copies).toHaveBeenCalledTimes(1);
    });
    it('treats a 1-D left operand as a row vector and a 1-D right operand as a column vector', () => {
      const a = f64([1, 2, 3, 4, 5, 6], [2, 3]);
      expect(matmul(f64([1, -1]), a).toArray()).toEqual([-3, -3, -3]);
      expect(matmul(a, f64([1, 0, 2])).toArray()).toEqual([7, 16]);
      const dot = matmul(f64([1, 2, 3]), f64([4, 5, 6]));
      expect(dot.shape).toEqual([]);
      expect(dot.item()).toBe(32);
      // Batched: the vector multiplies every matrix of the stack.
      const stack = f64([1, 2, 3, 4, 0, 1, 1, 0], [2, 2, 2]);
      expect(matmul(stack, f64([1, 1])).toArray()).toEqual([[3, 7], [1, 1]]);
      expect(matmul(f64([1, 1]), stack).toArray()).toEqual([[4, 6], [1, 1]]);
    });
    it('broadcasts batch dimensions', () => {
      const a = f64([1, 0, 0, 1, 2, 0, 0, 2], [2, 1, 2, 2]); // [I, 2I]
      const b = f64([1, 2, 3, 4, 0, 1, 1, 0, 1, 1, 1, 1], [3, 2, 2]); // three matrices
      const c = matmul(a, b);
      expect(c.shape).toEqual([2, 3, 2, 2]);
      expect(c.toArray()).toEqual([
        [[[1, 2], [3, 4]], [[0, 1], [1, 0]], [[1, 1], [1, 1]]],
        [[[2, 4], [6, 8]], [[0, 2], [2, 0]], [[2, 2], [2, 2]]],
      ]);
      // A stack times one matrix.
      expect(matmul(b, f64([1, 0, 0, -1], [2, 2])).toArray()).toEqual([[[1, -2], [3, -4]], [[0, -1], [1, 0]], [[1, -1], [1, -1]]]);
    });
    it('keeps the dtype and handles zero-sized dimensions', () => {
      expect(matmul(tensor([[1, 2]]), tensor([[3], [4]])).dtype).toBe('float32');
      expect(matmul(tensor([[1, 2]], undefined, 'float64'), tensor([[3], [4]], undefined, 'float64')).dtype).toBe('float64');
      const empty = matmul(f64([], [2, 0]), f64([], [0, 3]));
      expect(empty.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
      expect(matmul(f64([], [0, 4]), f64(new Array(12).fill(1), [4, 3])).shape).toEqual([0, 3]);
      expect(matmul(f64([], [5, 0, 2]), f64([1, 2], [2, 1])).shape).toEqual([5, 0, 1]);
    });
    it('multiplies a [32, 2] batch by a [2, 50] weight matrix', () => {
      const x = f64(Array.from({ length: 64 }, (_, i) => i % 7), [32, 2]);
      const w = f64(Array.from({ length: 100 }, (_, i) => (i % 5) - 2), [2, 50]);
      const y = matmul(x, w);
      expect(y.shape).toEqual([32, 50]);
      expect(y.get(3, 4)).toBe((6 % 7) * 2 + (7 % 7) * ((54 % 5) - 2)); // x[3] = [6, 0]: 6·w[0,4] + 0·w[1,4]
      expectClose(y, reference(x, w), 0);
    });
  });

  describe('matmul: errors', () => {
    it('names inner dimensions that differ', () => {
      const a = tensor(new Float32Array(32 * 50), [32, 50]);
      const b = tensor(new Float32Array(40), [40, 1]);
      expect(() => matmul(a, b)).toThrow('matmul: inner dimensions differ, [32, 50] @ [40, 1] (50 ≠ 40)');
      expect(() => matmul(a, a, { transposeB: false })).toThrow('(50 ≠ 32)');
      expect(() => matmul(a, b, { transposeB: true })).toThrow('[32, 50] @ [40, 1] with transposeB (50 ≠ 1)');
      expect(() => matmul(tensor([1, 2, 3]), tensor([1, 2]))).toThrow('matmul: inner dimensions differ, [3] @ [2] (3 ≠ 2)');
    });
    it('rejects batch dimensions that do not broadcast', () => {
      const a = tensor(new Float32Array(2 * 3 * 4), [2, 3, 4]);
      const b = tensor(new Float32Array(5 * 4 * 2), [5, 4, 2]);
      expect(() => matmul(a, b)).toThrow('matmul: batch dimensions do not broadcast, [2, 3, 4] @ [5, 4, 2] (batch [2] vs [5]');
    });
    it('rejects scalars and mixed dtypes', () => {
      expect(() => matmul(tensor(2), tensor([[1]]))).toThrow('matmul: operands must have at least one axis, got [] @ [1, 1]');
      expect(() => matmul(tensor([[1]]), tensor([[1]], undefined, 'float64'))).toThrow('matmul: operands have different dtypes');
    });
  });

  describe('matmul: property tests against a float64 triple loop', () => {
    const layout = fc.constantFrom(...LAYOUTS);

    it('2-D products in every layout and transpose combination', () => {
      fc.assert(
        fc.property(dim, dim, dim, layout, layout, fc.boolean(), fc.boolean(), dtypes, fc.nat(), (m, n, k, la, lb, tA, tB, dtype, seed) => {
          const next = rng(seed);
          const a = tA ? operand([], k, m, la, dtype, next) : operand([], m, k, la, dtype, next);
          const b = tB ? operand([], n, k, lb, dtype, next) : operand([], k, n, lb, dtype, next);
          expectClose(matmul(a, b, { transposeA: tA, transposeB: tB }), reference(a, b, tA, tB), TOL[dtype]);
        }),
        { numRuns: 300 },
      );
    });

    it('batched products with broadcast batch dimensions', () => {
      const batch = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 });
      // Each operand keeps a suffix of the batch shape, with some of its dimensions set to 1.
      const keep = fc.tuple(fc.nat({ max: 3 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }));
      const own = (shape: number[], [drop, ones]: [number, boolean[]]): number[] =>
        shape.slice(Math.min(drop, shape.length)).map((d, i) => (ones[i] ? 1 : d));
      const small = fc.integer({ min: 0, max: 12 });
      fc.assert(
        fc.property(batch, keep, keep, small, small, small, layout, layout, fc.boolean(), fc.boolean(), dtypes, fc.nat(),
          (shape, ka, kb, m, n, k, la, lb, tA, tB, dtype, seed) => {
            const next = rng(seed);
            const a = tA ? operand(own(shape, ka), k, m, la, dtype, next) : operand(own(shape, ka), m, k, la, dtype, next);
            const b = tB ? operand(own(shape, kb), n, k, lb, dtype, next) : operand(own(shape, kb), k, n, lb, dtype, next);
            expectClose(matmul(a, b, { transposeA: tA, transposeB: tB }), reference(a, b, tA, tB), TOL[dtype]);
          }),
        { numRuns: 300 },
      );
    });

    it('1-D operands on either side, alone or against stacks', () => {
      const vectorLayout = fc.constantFrom('contiguous', 'stepped', 'reversed');
      const vector = (len: number, how: string, dtype: DType, next: () => number): Tensor => {
        if (how === 'stepped') return stridedSlice(random([2 * len], dtype, next), [], [], [2]); // stride 2
        if (how === 'reversed') return stridedSlice(random([len], dtype, next), [], [], [-1]); // stride -1
        return random([len], dtype, next);
      };
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), dim, dim, fc.boolean(), vectorLayout, layout, dtypes, fc.nat(),
          (batch, k, n, left, how, lm, dtype, seed) => {
            const next = rng(seed);
            const v = vector(k, how, dtype, next);
            const mat = left ? operand(batch, k, n, lm, dtype, next) : operand(batch, n, k, lm, dtype, next);
            const [a, b] = left ? [v, mat] : [mat, v];
            expectClose(matmul(a, b), reference(a, b), TOL[dtype]);
            expectClose(matmul(v, v), reference(v, v), TOL[dtype]);
          }),
        { numRuns: 200 },
      );
    });

    it('large products that cross every block boundary', () => {
      // k > 256 (the panel depth), m > 96 (the row block), n > 1536 (the column slab).
      const cases: [number, number, number][] = [[97, 100, 257], [130, 41, 520], [4, 1540, 5], [100, 1537, 3], [2, 300, 300], [300, 2, 300]];
      for (const [m, n, k] of cases) {
        for (const dtype of dtypesOf(setting)) {
          for (const tA of [false, true]) {
            for (const tB of [false, true]) {
              const next = rng(m * 7 + n * 13 + k);
              const a = tA ? random([k, m], dtype, next) : random([m, k], dtype, next);
              const b = tB ? random([n, k], dtype, next) : random([k, n], dtype, next);
              expectClose(matmul(a, b, { transposeA: tA, transposeB: tB }), reference(a, b, tA, tB), TOL[dtype]);
            }
          }
        }
      }
    });
  });

  describe('gemm', () => {
    /** Reference C = op(A)·op(B) (+ C) on raw arrays with offsets and leading dimensions. */
    function refGemm(
      tA: boolean, tB: boolean, m: number, n: number, k: number, a: TypedArray, aOff: number, lda: number,
      b: TypedArray, bOff: number, ldb: number, c: Float64Array, cOff: number, ldc: number, acc: boolean,
    ): void {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = acc ? c[cOff + i * ldc + j] : 0;
          for (let p = 0; p < k; p++) s += a[aOff + (tA ? p * lda + i : i * lda + p)] * b[bOff + (tB ? j * ldb + p : p * ldb + j)];
          c[cOff + i * ldc + j] = s;
        }
      }
    }

    it('honours offsets, leading dimensions wider than the matrices, and accumulate', () => {
      fc.assert(
        fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.boolean(), fc.nat({ max: 5 }), fc.nat({ max: 5 }), fc.nat({ max: 5 }), dtypes, fc.nat(),
          (m, n, k, tA, tB, acc, padA, padB, padC, dtype, seed) => {
            const next = rng(seed);
            const lda = (tA ? m : k) + padA;
            const ldb = (tB ? k : n) + padB;
            const ldc = n + padC;
            const aOff = padA * 3;
            const bOff = padB * 2;
            const cOff = padC + 1;
            const fill = (len: number): TypedArray => {
              const x = dtype === 'float64' ? new Float64Array(len) : new Float32Array(len);
              for (let i = 0; i < len; i++) x[i] = 2 * next() - 1;
              return x;
            };
            const a = fill(aOff + (tA ? k : m) * lda + 3);
            const b = fill(bOff + (tB ? n : k) * ldb + 3);
            const c = fill(cOff + m * ldc + 3);
            if (!acc) for (let i = 0; i < m; i++) c.fill(Number.NaN, cOff + i * ldc, cOff + i * ldc + n); // never read
            const expected = Float64Array.from(c);
            refGemm(tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, acc);
            gemm(tA, tB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
            const tol = dtype === 'float64' ? 1e-12 : 1e-5;
            for (let i = 0; i < c.length; i++) {
              const err = Math.abs(c[i] - expected[i]);
              if (!(err <= tol * (k + 1))) throw new Error(`c[${i}]: got ${c[i]}, expected ${expected[i]}`);
            }
          }),
        { numRuns: 300 },
      );
    });

    it('writes zeros for k = 0 unless accumulating, and leaves everything else alone', () => {
      const c = new Float64Array([9, 9, 9, 9, 9, 9]);
      gemm(false, false, 2, 2, 0, new Float64Array(0), 0, 0, new Float64Array(0), 0, 2, c, 1, 3, false);
      expect(Array.from(c)).toEqual([9, 0, 0, 9, 0, 0]);
      gemm(false, false, 2, 2, 0, new Float64Array(0), 0, 0, new Float64Array(0), 0, 2, c, 0, 3, true);
      expect(Array.from(c)).toEqual([9, 0, 0, 9, 0, 0]);
    });

    it('adds into C with accumulate', () => {
      const c = new Float64Array([1, 1, 1, 1]);
      gemm(false, false, 2, 2, 2, new Float64Array([1, 2, 3, 4]), 0, 2, new Float64Array([1, 0, 0, 1]), 0, 2, c, 0, 2, true);
      expect(Array.from(c)).toEqual([2, 3, 4, 5]);
    });
  });
});
