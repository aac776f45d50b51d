// Tests of the view kernels: hand-worked cases, errors, and property tests against reference index arithmetic.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Tensor } from '../tensor.js';
import { arange, tensor } from '../create.js';
import { broadcastTo, expandDims, reshape, slice, squeeze, stridedSlice, transpose } from './views.js';

const f64 = (values: number[], shape?: number[]): Tensor => tensor(values, shape, 'float64');
/** 0, 1, 2, ... in `shape`, float64. */
const iota = (shape: number[]): Tensor => reshape(arange(shape.reduce((p, d) => p * d, 1), undefined, 1, 'float64'), shape);
const values = (t: Tensor): number[] => Array.from(t.toTypedArray());

describe('transpose', () => {
  it('reverses the axes by default (a matrix transpose)', () => {
    const m = f64([1, 2, 3, 4, 5, 6], [2, 3]);
    const t = transpose(m);
    expect(t.shape).toEqual([3, 2]);
    expect(t.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(t.data).toBe(m.data);
    expect(t.isContiguous).toBe(false);
    expect(transpose(iota([2, 3, 4])).shape).toEqual([4, 3, 2]);
  });
  it('permutes by perm, which may count from the end', () => {
    const x = iota([2, 3, 4]);
    const p = transpose(x, [1, 2, 0]);
    expect(p.shape).toEqual([3, 4, 2]);
    expect(p.get(2, 1, 1)).toBe(1 * 12 + 2 * 4 + 1); // x[1, 2, 1]
    expect(transpose(x, [-2, -1, 0]).toArray()).toEqual(p.toArray());
  });
  it('is the identity on scalars and vectors', () => {
    expect(transpose(tensor(3)).item()).toBe(3);
    expect(transpose(f64([1, 2])).toArray()).toEqual([1, 2]);
  });
  it('rejects a perm that is not a permutation', () => {
    const x = iota([2, 3]);
    expect(() => transpose(x, [0])).toThrow(/transpose: perm \[0\] is not a permutation of the 2 axes of shape \[2, 3\]/);
    expect(() => transpose(x, [1, 1])).toThrow(/not a permutation/);
    expect(() => transpose(x, [0, 1, 2])).toThrow(/transpose: axis 2 is out of range for a tensor of rank 2/);
    expect(() => transpose(x, [0, 0.5])).toThrow(/axis 0.5/);
  });
});

describe('reshape', () => {
  it('infers one -1 dimension and shares contiguous data', () => {
    const x = iota([2, 6]);
    const r = reshape(x, [3, -1]);
    expect(r.shape).toEqual([3, 4]);
    expect(r.data).toBe(x.data);
    expect(r.toArray()).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(reshape(x, [-1]).shape).toEqual([12]);
    expect(reshape(tensor(5), [1, 1]).shape).toEqual([1, 1]);
    expect(reshape(f64([7]), []).item()).toBe(7);
    expect(reshape(f64([], [0, 3]), [-1, 3]).shape).toEqual([0, 3]);
  });
  it('keeps the offset of a contiguous view', () => {
    const rows = slice(iota([4, 3]), [1], [2]); // rows 1 and 2: elements 3..8, contiguous at offset 3
    expect(rows.isContiguous).toBe(true);
    const r = reshape(rows, [6]);
    expect(r.data).toBe(rows.data);
    expect(values(r)).toEqual([3, 4, 5, 6, 7, 8]);
  });
  it('copies a non-contiguous view, in its row-major order', () => {
    const t = transpose(iota([2, 3])); // [[0, 3], [1, 4], [2, 5]]
    const r = reshape(t, [6]);
    expect(r.data).not.toBe(t.data);
    expect(r.isContiguous).toBe(true);
    expect(values(r)).toEqual([0, 3, 1, 4, 2, 5]);
    const rev = stridedSlice(f64([1, 2, 3, 4]), [], [], [-1]);
    expect(reshape(rev, [2, 2]).toArray()).toEqual([[4, 3], [2, 1]]);
  });
  it('views a non-contiguous tensor in place when its axes regroup: length-1 axes, broadcasts, stepped rows', () => {
    const column = broadcastTo(f64([7]), [4]); // stride 0
    const r = reshape(column, [4, 1]);
    expect(r.data).toBe(column.data);
    expect(r.toArray()).toEqual([[7], [7], [7], [7]]);
    const stepped = stridedSlice(iota([4, 3]), [0], [4], [2]); // rows 0 and 2
    const s = reshape(stepped, [2, 1, 3]);
    expect(s.data).toBe(stepped.data);
    expect(s.toArray()).toEqual([[[0, 1, 2]], [[6, 7, 8]]]);
    const split = reshape(transpose(iota([6, 2])), [2, 2, 3]); // the 6 splits into 2·3 without copying
    expect(split.toArray()).toEqual([[[0, 2, 4], [6, 8, 10]], [[1, 3, 5], [7, 9, 11]]]);
    expect(split.isContiguous).toBe(false);
  });
  it('rejects a different size, two -1s, and negative or fractional dimensions', () => {
    const x = iota([2, 3]);
    expect(() => reshape(x, [4, 2])).toThrow(/reshape: cannot reshape \[2, 3\] \(6 elements\) to \[4, 2\] \(8 elements\)/);
    expect(() => reshape(x, [4, -1])).toThrow(/cannot reshape \[2, 3\] \(6 elements\) to \[4, -1\]/);
    expect(() => reshape(x, [-1, -1])).toThrow(/only one dimension can be -1/);
    expect(() => reshape(x, [-2, -3])).toThrow(/dimension 0 of shape \[-2, -3\] is -2/);
    expect(() => reshape(x, [1.5, 4])).toThrow(/dimension 0 of shape \[1.5, 4\] is 1.5; dimensions must be non-negative integers/);
    expect(() => reshape(f64([], [0]), [0, -1])).toThrow(/cannot reshape \[0\]/);
  });
});

describe('expandDims and squeeze', () => {
  it('insert an axis of length 1 anywhere, counting from the end of the result for negative axes', () => {
    const x = iota([2, 3]);
    expect(expandDims(x, 0).shape).toEqual([1, 2, 3]);
    expect(expandDims(x, 1).shape).toEqual([2, 1, 3]);
    expect(expandDims(x, 2).shape).toEqual([2, 3, 1]);
    expect(expandDims(x, -1).shape).toEqual([2, 3, 1]);
    expect(expandDims(x, -3).shape).toEqual([1, 2, 3]);
    expect(expandDims(x, 1).toArray()).toEqual([[[0, 1, 2]], [[3, 4, 5]]]);
    expect(expandDims(x, 1).data).toBe(x.data);
    expect(expandDims(tensor(4), 0).toArray()).toEqual([4]);
  });
  it('rejects an axis beyond rank', () => {
    expect(() => expandDims(iota([2, 3]), 3)).toThrow(/expandDims: axis 3 is out of range for a tensor of rank 3; valid axes are -3..2/);
    expect(() => expandDims(iota([2, 3]), -4)).toThrow(/expandDims: axis -4/);
  });
  it('squeeze removes all length-1 axes, or the ones given', () => {
    const x = iota([1, 3, 1, 2]);
    expect(squeeze(x).shape).toEqual([3, 2]);
    expect(squeeze(x, 0).shape).toEqual([3, 1, 2]);
    expect(squeeze(x, [-2, 0]).shape).toEqual([3, 2]);
    expect(squeeze(x).toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(squeeze(f64([5], [1, 1])).item()).toBe(5);
    expect(squeeze(f64([5], [1, 1])).shape).toEqual([]);
  });
  it('squeeze rejects axes that are not of length 1 or out of range', () => {
    expect(() => squeeze(iota([1, 3]), 1)).toThrow(/squeeze: axis 1 of shape \[1, 3\] has length 3, not 1/);
    expect(() => squeeze(iota([1, 3]), 2)).toThrow(/squeeze: axis 2 is out of range/);
    expect(() => squeeze(iota([1, 3]), [0, 0])).toThrow(/squeeze: axis 0 is repeated/);
  });
});

describe('slice', () => {
  const m = iota([3, 4]); // [[0..3], [4..7], [8..11]]
  it('takes a block as a view', () => {
    const s = slice(m, [1, 1], [2, 2]);
    expect(s.toArray()).toEqual([[5, 6], [9, 10]]);
    expect(s.data).toBe(m.data);
    expect(s.offset).toBe(5);
  });
  it('counts negative begins from the end; size -1 or a missing size runs to the end', () => {
    expect(slice(m, [-1]).toArray()).toEqual([[8, 9, 10, 11]]);
    expect(slice(m, [-2, -3], [1, 2]).toArray()).toEqual([[5, 6]]);
    expect(slice(m, [0, 2], [-1, -1]).toArray()).toEqual([[2, 3], [6, 7], [10, 11]]);
    expect(slice(m, []).toArray()).toEqual(m.toArray());
  });
  it('gives zero-sized views', () => {
    const e = slice(m, [1, 4], [2, 0]);
    expect(e.shape).toEqual([2, 0]);
    expect(e.toArray()).toEqual([[], []]);
    expect(slice(m, [3], [0]).shape).toEqual([0, 4]);
  });
  it('slices views of views', () => {
    const t = transpose(m); // [4, 3]
    expect(slice(t, [1, 1], [2, -1]).toArray()).toEqual([[5, 9], [6, 10]]);
  });
  it('rejects blocks outside the tensor', () => {
    expect(() => slice(m, [2], [2])).toThrow(/slice: begin 2 with size 2 does not fit axis 0 of length 3 \(shape \[3, 4\]\)/);
    expect(() => slice(m, [-4])).toThrow(/begin -4/);
    expect(() => slice(m, [0, 0, 0])).toThrow(/more entries than the rank 2/);
    expect(() => slice(m, [0.5])).toThrow(/begin 0.5/);
    expect(() => slice(m, [0], [-2])).toThrow(/size -2/);
  });
});

describe('stridedSlice', () => {
  const v = f64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  it("follows Python's x[begin:end:step]", () => {
    expect(values(stridedSlice(v, [1], [8], [3]))).toEqual([1, 4, 7]);
    expect(values(stridedSlice(v, [8], [1], [-3]))).toEqual([8, 5, 2]);
    expect(values(stridedSlice(v, [], [], [-1]))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(values(stridedSlice(v, [-3], []))).toEqual([7, 8, 9]);
    expect(values(stridedSlice(v, [-1], [-4], [-1]))).toEqual([9, 8, 7]);
    expect(values(stridedSlice(v, [100], [-100], [-4]))).toEqual([9, 5, 1]);
    expect(values(stridedSlice(v, [5], [2]))).toEqual([]);
  });
  it('works per axis on matrices, as a view', () => {
    const m = iota([3, 4]);
    const s = stridedSlice(m, [2, 0], [-4, 4], [-2, 3]);
    expect(s.toArray()).toEqual([[8, 11], [0, 3]]);
    expect(s.data).toBe(m.data);
  });
  it('rejects a zero or fractional step', () => {
    expect(() => stridedSlice(v, [0], [5], [0])).toThrow(/stridedSlice: step 0 on axis 0 must be a non-zero integer/);
    expect(() => stridedSlice(v, [0], [5], [1.5])).toThrow(/step 1.5/);
  });
});

describe('broadcastTo', () => {
  it('stretches length-1 and missing leading axes with stride 0', () => {
    const row = f64([1, 2, 3]);
    const b = broadcastTo(row, [2, 3]);
    expect(b.toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(b.strides).toEqual([0, 1]);
    expect(b.data).toBe(row.data);
    const col = broadcastTo(f64([1, 2], [2, 1]), [2, 3]);
    expect(col.toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(broadcastTo(tensor(7), [2]).toArray()).toEqual([7, 7]);
    expect(broadcastTo(f64([5], [1]), [0]).shape).toEqual([0]);
  });
  it('returns the tensor itself for its own shape', () => {
    const x = iota([2, 3]);
    expect(broadcastTo(x, [2, 3])).toBe(x);
  });
  it('rejects shapes it cannot reach, and bad dimensions', () => {
    expect(() => broadcastTo(f64([1, 2, 3]), [2, 4])).toThrow(/broadcastTo: shapes \[3\] and \[2, 4\] do not broadcast/);
    expect(() => broadcastTo(iota([2, 3]), [3])).toThrow(/broadcastTo: shape \[2, 3\] cannot be broadcast to \[3\]/);
    expect(() => broadcastTo(iota([2, 1]), [1, 1])).toThrow(/broadcastTo: shape \[2, 1\] cannot be broadcast to \[1, 1\]/);
    expect(() => broadcastTo(iota([3]), [2, -3])).toThrow(/broadcastTo: dimension 1 of shape \[2, -3\] is -3/);
    expect(() => broadcastTo(iota([3]), [2.5, 3])).toThrow(/dimension 0 of shape \[2.5, 3\]/);
  });
});

// ---- Property tests: views agree with plain index arithmetic over the row-major data 0, 1, 2, ... ----

const product = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
const ravel = (idx: readonly number[], shape: readonly number[]): number => idx.reduce((p, v, k) => p * shape[k] + v, 0);

/** Every multi-index of the grid whose axis k runs over `axes[k]`, row-major. */
function grid(axes: readonly (readonly number[])[]): number[][] {
  let out: number[][] = [[]];
  for (const list of axes) out = out.flatMap((prefix) => list.map((v) => [...prefix, v]));
  return out;
}

/** The indices Python's range(d)[b:e:s] selects (CPython's slice.indices rule). */
function pythonSlice(d: number, b: number | undefined, e: number | undefined, s: number): number[] {
  const adjust = (v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (v < 0) {
      v += d;
      if (v < 0) v = s < 0 ? -1 : 0;
    } else if (v >= d) v = s < 0 ? d - 1 : d;
    return v;
  };
  const start = adjust(b, s < 0 ? d - 1 : 0);
  const stop = adjust(e, s < 0 ? -1 : d);
  const out: number[] = [];
  for (let i = start; s > 0 ? i < stop : i > stop; i += s) out.push(i);
  return out;
}

const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });

describe('views: property tests against index arithmetic', () => {
  it('transpose(x, perm)[i] = x[j] with j[perm[k]] = i[k]', () => {
    const arb = shapeArb.chain((shape) =>
      fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length })),
    );
    fc.assert(
      fc.property(arb, ([shape, perm]) => {
        const t = transpose(iota(shape), perm);
        const outShape = perm.map((p) => shape[p]);
        expect(t.shape).toEqual(outShape);
        const expected = grid(outShape.map((d) => Array.from({ length: d }, (_, i) => i))).map((i) => {
          const j = new Array<number>(shape.length);
          perm.forEach((p, k) => (j[p] = i[k]));
          return ravel(j, shape);
        });
        expect(values(t)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('slice(x, begin, size) reads x[begin + i]', () => {
    const arb = shapeArb.chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.tuple(...shape.map((d) => fc.integer({ min: 0, max: d }).chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 0, max: d - b }), fc.boolean())))),
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, axes]) => {
        const begin = axes.map(([b, , negative], k) => (negative && b < shape[k] ? b - shape[k] : b));
        const size = axes.map(([, s]) => s);
        const t = slice(iota(shape), begin, size);
        expect(t.shape).toEqual(size);
        const ranges = axes.map(([b, s]) => Array.from({ length: s }, (_, i) => b + i));
        expect(values(t)).toEqual(grid(ranges).map((j) => ravel(j, shape)));
      }),
      { numRuns: 300 },
    );
  });

  it("stridedSlice agrees with Python's slicing on every axis", () => {
    const bound = fc.option(fc.integer({ min: -7, max: 7 }), { nil: undefined });
    const step = fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0);
    const arb = shapeArb.chain((shape) =>
      fc.tuple(fc.constant(shape), fc.tuple(...shape.map(() => fc.tuple(bound, bound, step)))),
    );
    fc.assert(
      fc.property(arb, ([shape, axes]) => {
        const begin = axes.map(([b]) => b) as number[];
        const end = axes.map(([, e]) => e) as number[];
        const steps = axes.map(([, , s]) => s);
        const x = iota(shape);
        const t = stridedSlice(x, begin, end, steps);
        const ranges = shape.map((d, k) => pythonSlice(d, axes[k][0], axes[k][1], steps[k]));
        expect(t.shape).toEqual(ranges.map((r) => r.length));
        expect(t.data).toBe(x.data);
        expect(values(t)).toEqual(grid(ranges).map((j) => ravel(j, shape)));
      }),
      { numRuns: 400 },
    );
  });

  it('reshape of any strided view reads its elements in row-major order', () => {
    const arb = shapeArb.chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, perm, split]) => {
        const view = transpose(iota(shape), perm);
        const flat = values(view);
        // a target shape of the same size: the flat length split into factors where they divide, plus length-1 axes
        const dims: number[] = [];
        let rest = flat.length;
        for (const d of split) if (rest % d === 0) (dims.push(d), (rest /= d));
        dims.push(rest, 1);
        const r = reshape(view, dims);
        expect(r.shape).toEqual(dims);
        expect(values(r)).toEqual(flat);
      }),
      { numRuns: 400 },
    );
  });

  it('composed views (stridedSlice of a transpose) still agree', () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: -2, max: 2 }).filter((s) => s !== 0));
    fc.assert(
      fc.property(arb, ([r, c, s]) => {
        const t = stridedSlice(transpose(iota([r, c])), [], [], [s, 1]); // rows of the transpose, stepped
        const rows = pythonSlice(c, undefined, undefined, s);
        const expected = rows.flatMap((j) => Array.from({ length: r }, (_, i) => i * c + j));
        expect(values(t)).toEqual(expected);
        expect(product(t.shape)).toBe(expected.length);
      }),
      { numRuns: 100 },
    );
  });
});
