// Tests of the binary kernels: hand-worked values, and broadcasting over every kind of view against a plain reference loop.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DType, TypedArray } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import * as B from './binary.js';
import { broadcastTo, slice, stridedSlice, transpose } from './views.js';
import { rng } from './test-rng.js';

type BinaryName =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'squaredDifference'
  | 'equal' | 'notEqual' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual';

/** Reference formulas, written out independently of the kernels. */
const reference: Record<BinaryName, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => Math.pow(x, y),
  maximum: (x, y) => (x >= y ? x : y),
  minimum: (x, y) => (x <= y ? x : y),
  squaredDifference: (x, y) => (x - y) * (x - y),
  equal: (x, y) => (x === y ? 1 : 0),
  notEqual: (x, y) => (x !== y ? 1 : 0),
  greater: (x, y) => (x > y ? 1 : 0),
  greaterEqual: (x, y) => (x >= y ? 1 : 0),
  less: (x, y) => (x < y ? 1 : 0),
  lessEqual: (x, y) => (x <= y ? 1 : 0),
};
const names = Object.keys(reference) as BinaryName[];

const f64 = (values: number[], shape?: number[]): Tensor => tensor(values, shape, 'float64');
const values = (t: Tensor): number[] => Array.from(t.toTypedArray());

describe('binary kernels: hand-worked values', () => {
  const a = f64([6, -2, 0.5, 3]);
  const b = f64([3, 4, 0.25, 3]);
  const cases: [BinaryName, number[]][] = [
    ['add', [9, 2, 0.75, 6]],
    ['sub', [3, -6, 0.25, 0]],
    ['mul', [18, -8, 0.125, 9]],
    ['div', [2, -0.5, 2, 1]],
    ['pow', [216, 16, 0.8408964152537145, 27]],
    ['maximum', [6, 4, 0.5, 3]],
    ['minimum', [3, -2, 0.25, 3]],
    ['squaredDifference', [9, 36, 0.0625, 0]],
    ['equal', [0, 0, 0, 1]],
    ['notEqual', [1, 1, 1, 0]],
    ['greater', [1, 0, 1, 0]],
    ['greaterEqual', [1, 0, 1, 1]],
    ['less', [0, 1, 0, 0]],
    ['lessEqual', [0, 1, 0, 1]],
  ];
  for (const [name, expected] of cases) {
    it(`${name}`, () => {
      const out = B[name](a, b);
      expect(out.shape).toEqual([4]);
      expect(out.dtype).toBe('float64');
      if (name === 'pow') expect(values(out)[2]).toBeCloseTo(expected[2], 15);
      else expect(values(out)).toEqual(expected);
    });
  }

  it('follows IEEE rules for division by zero and NaN', () => {
    expect(values(B.div(f64([1, -1, 0]), f64([0, 0, 0])))).toEqual([Infinity, -Infinity, NaN]);
    expect(values(B.maximum(f64([NaN, 1]), f64([1, NaN])))).toEqual([NaN, NaN]);
    expect(values(B.minimum(f64([NaN, 1]), f64([1, NaN])))).toEqual([NaN, NaN]);
    expect(values(B.equal(f64([NaN]), f64([NaN])))).toEqual([0]);
    expect(values(B.notEqual(f64([NaN]), f64([NaN])))).toEqual([1]);
  });

  it('broadcasts a row, a column and a scalar', () => {
    const m = f64([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(B.add(m, f64([10, 20, 30])).toArray()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(B.mul(m, f64([1, -1], [2, 1])).toArray()).toEqual([[1, 2, 3], [-4, -5, -6]]);
    expect(B.sub(tensor(1, undefined, 'float64'), m).toArray()).toEqual([[0, -1, -2], [-3, -4, -5]]);
    expect(B.add(f64([1, 2], [2, 1]), f64([10, 20, 30], [1, 3])).toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
    expect(B.add(tensor(2), tensor(3)).toArray()).toBe(5);
  });

  it('keeps float32 arithmetic in float32', () => {
    const out = B.add(tensor([0.1]), tensor([0.2]));
    expect(out.dtype).toBe('float32');
    expect(out.data[0]).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });

  it('works on transposed and reversed views', () => {
    const m = f64([1, 2, 3, 4, 5, 6], [2, 3]);
    const t = transpose(m); // [[1, 4], [2, 5], [3, 6]]
    expect(B.sub(t, f64([0, 1])).toArray()).toEqual([[1, 3], [2, 4], [3, 5]]);
    const r = stridedSlice(m, [], [], [-1, -1]); // [[6, 5, 4], [3, 2, 1]]
    expect(B.add(r, m).toArray()).toEqual([[7, 7, 7], [7, 7, 7]]);
  });

  it('handles zero-sized operands', () => {
    const out = B.add(f64([], [0, 3]), f64([1, 2, 3]));
    expect(out.shape).toEqual([0, 3]);
    expect(out.size).toBe(0);
    expect(B.mul(f64([], [2, 0]), f64([5], [1, 1])).shape).toEqual([2, 0]);
  });

  it('never writes into its inputs', () => {
    const a2 = f64([1, 2]);
    const b2 = f64([3, 4]);
    B.add(a2, b2);
    expect(values(a2)).toEqual([1, 2]);
    expect(values(b2)).toEqual([3, 4]);
  });
});

describe('binary kernels: errors', () => {
  it('rejects shapes that do not broadcast, naming both', () => {
    expect(() => B.add(f64([1, 2, 3]), f64([1, 2]))).toThrow(/add: shapes \[3\] and \[2\] do not broadcast/);
    expect(() => B.mul(f64([1, 2, 3, 4, 5, 6], [2, 3]), f64([1, 2, 3, 4, 5, 6], [3, 2]))).toThrow(/mul: shapes \[2, 3\] and \[3, 2\]/);
  });
  it('rejects mixed dtypes', () => {
    expect(() => B.sub(tensor([1]), f64([1]))).toThrow(/sub: operands have different dtypes \(float32 and float64\)/);
  });
});

// ---- Property tests: broadcasting over every kind of view, against a plain reference loop. ----

const product = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** Row-major multi-index of flat position `p` in `shape`. */
function unravel(p: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = p % shape[k];
    p = Math.floor(p / shape[k]);
  }
  return idx;
}

/** Row-major flat position of a multi-index. */
function ravel(idx: readonly number[], shape: readonly number[]): number {
  let p = 0;
  for (let k = 0; k < shape.length; k++) p = p * shape[k] + idx[k];
  return p;
}

const makeArray = (dtype: DType, n: number, fill = 0): TypedArray => {
  const a = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  return a.fill(fill);
};

type Kind = 'contiguous' | 'transposed' | 'sliced' | 'stepped' | 'broadcast';
const kinds: Kind[] = ['contiguous', 'transposed', 'sliced', 'stepped', 'broadcast'];
const SENTINEL = 12345; // fills the parts of a base array a view must not read

/**
 * A tensor of `shape` whose elements (row-major) are `logical`, laid out as `kind` of view.
 * For 'broadcast' the logical values are rewritten to be constant along the stretched axes.
 */
function buildOperand(kind: Kind, shape: number[], dtype: DType, rand: () => number): { t: Tensor; logical: number[] } {
  const size = product(shape);
  const draw = (): number => (Math.floor(rand() * 33) - 16) / 4;
  let logical = Array.from({ length: size }, draw);
  const rank = shape.length;
  switch (kind) {
    case 'contiguous':
      return { t: tensor(logical, shape, dtype), logical };
    case 'transposed': {
      const q = shape.map((_, i) => i);
      for (let i = rank - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [q[i], q[j]] = [q[j], q[i]];
      }
      const baseShape = new Array<number>(rank);
      for (let k = 0; k < rank; k++) baseShape[q[k]] = shape[k];
      const base = makeArray(dtype, size);
      for (let p = 0; p < size; p++) {
        const i = unravel(p, shape);
        const j = new Array<number>(rank);
        for (let k = 0; k < rank; k++) j[q[k]] = i[k];
        base[ravel(j, baseShape)] = logical[p];
      }
      return { t: transpose(new Tensor(base, baseShape), q), logical };
    }
    case 'sliced': {
      const pre = shape.map(() => Math.floor(rand() * 3));
      const baseShape = shape.map((d, k) => pre[k] + d + Math.floor(rand() * 3));
      const base = makeArray(dtype, product(baseShape), SENTINEL);
      for (let p = 0; p < size; p++) base[ravel(unravel(p, shape).map((v, k) => v + pre[k]), baseShape)] = logical[p];
      // Half of the axes give begin counted from the end (negative).
      const begin = pre.map((b, k) => (rand() < 0.5 && b < baseShape[k] ? b - baseShape[k] : b));
      return { t: slice(new Tensor(base, baseShape), begin, shape), logical };
    }
    case 'stepped': {
      const steps = shape.map(() => [-2, -1, 1, 2][Math.floor(rand() * 4)]);
      const begin: number[] = [];
      const end: number[] = [];
      const baseShape: number[] = [];
      for (let k = 0; k < rank; k++) {
        const n = shape[k];
        const s = steps[k];
        const m = Math.abs(s);
        const pre = Math.floor(rand() * m); // < m, so an end before 0 can be written as "clamp to -1"
        const post = Math.floor(rand() * 2);
        if (n === 0) {
          begin.push(0);
          end.push(0);
          baseShape.push(pre + post);
        } else if (s > 0) {
          begin.push(pre);
          end.push(pre + (n - 1) * s + 1);
          baseShape.push(pre + (n - 1) * s + 1 + post);
        } else {
          const b = pre + (n - 1) * m;
          const D = b + 1 + post;
          begin.push(b);
          end.push(-(D + 1)); // clamps to "before 0"; as pre < m, exactly n elements fit from b down to 0
          baseShape.push(D);
        }
      }
      const base = makeArray(dtype, product(baseShape), SENTINEL);
      for (let p = 0; p < size; p++) {
        base[ravel(unravel(p, shape).map((v, k) => begin[k] + v * steps[k]), baseShape)] = logical[p];
      }
      return { t: stridedSlice(new Tensor(base, baseShape), begin, end, steps), logical };
    }
    case 'broadcast': {
      const lead = Math.floor(rand() * (rank + 1));
      const baseShape = shape.slice(lead).map((d) => (rand() < 0.5 ? 1 : d));
      const baseValues = Array.from({ length: product(baseShape) }, draw);
      logical = new Array<number>(size);
      for (let p = 0; p < size; p++) {
        const i = unravel(p, shape).slice(lead).map((v, k) => (baseShape[k] === 1 ? 0 : v));
        logical[p] = baseValues[ravel(i, baseShape)];
      }
      return { t: broadcastTo(tensor(baseValues, baseShape, dtype), shape), logical };
    }
  }
}

/** Reference broadcasting: the result shape and, for each result position, the operand's flat position. */
function broadcastReference(sa: number[], sb: number[], f: (x: number, y: number) => number, la: number[], lb: number[]) {
  const rank = Math.max(sa.length, sb.length);
  const pa = [...new Array<number>(rank - sa.length).fill(1), ...sa];
  const pb = [...new Array<number>(rank - sb.length).fill(1), ...sb];
  const shape = pa.map((d, k) => (d === 1 ? pb[k] : d));
  const out: number[] = [];
  for (let p = 0; p < product(shape); p++) {
    const i = unravel(p, shape);
    const x = la[ravel(i.map((v, k) => (pa[k] === 1 ? 0 : v)), pa)];
    const y = lb[ravel(i.map((v, k) => (pb[k] === 1 ? 0 : v)), pb)];
    out.push(f(x, y));
  }
  return { shape, out };
}

/** Two broadcast-compatible shapes of rank 0-4, with dimensions 0-3 and plenty of 1s. */
const shapePair = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 4 }),
    fc.array(fc.constantFrom('same', 'one-a', 'one-b'), { minLength: 4, maxLength: 4 }),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 0, max: 4 }),
  )
  .map(([full, roles, dropA, dropB]) => {
    const a = full.map((d, k) => (roles[k] === 'one-a' ? 1 : d));
    const b = full.map((d, k) => (roles[k] === 'one-b' ? 1 : d));
    return [a.slice(Math.min(dropA, a.length)), b.slice(Math.min(dropB, b.length))] as const;
  });

describe('binary kernels: broadcasting over views (property tests)', () => {
  it('match a plain reference loop for every kernel, view kind and dtype', () => {
    fc.assert(
      fc.property(
        shapePair,
        fc.constantFrom(...names),
        fc.constantFrom(...kinds),
        fc.constantFrom(...kinds),
        fc.constantFrom<DType>('float32', 'float64'),
        fc.integer(),
        ([sa, sb], name, ka, kb, dtype, seed) => {
          const rand = rng(seed);
          const a = buildOperand(ka, [...sa], dtype, rand);
          const b = buildOperand(kb, [...sb], dtype, rand);
          expect(a.t.shape).toEqual(sa);
          expect(b.t.shape).toEqual(sb);
          const round = dtype === 'float32' ? Math.fround : (v: number) => v;
          const ref = broadcastReference([...sa], [...sb], (x, y) => round(reference[name](x, y)), a.logical, b.logical);
          const out = B[name](a.t, b.t);
          expect(out.shape).toEqual(ref.shape);
          expect(out.dtype).toBe(dtype);
          expect(Array.from(out.data)).toEqual(ref.out);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('give the same result whichever side is broadcast (add is symmetric)', () => {
    fc.assert(
      fc.property(shapePair, fc.constantFrom(...kinds), fc.constantFrom(...kinds), fc.integer(), ([sa, sb], ka, kb, seed) => {
        const rand = rng(seed);
        const a = buildOperand(ka, [...sa], 'float64', rand).t;
        const b = buildOperand(kb, [...sb], 'float64', rand).t;
        expect(values(B.add(a, b))).toEqual(values(B.add(b, a)));
      }),
      { numRuns: 200 },
    );
  });
});
