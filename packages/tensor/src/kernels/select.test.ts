// Tests of where, clip and cast: hand-worked values, three-way broadcasting over views, zero sizes and errors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Tensor } from '../tensor.js';
import type { DType } from '../dtype.js';
import { tensor } from '../create.js';
import { cast, clip, where } from './select.js';
import { broadcastTo, stridedSlice, transpose } from './views.js';

const f64 = (values: number | number[], shape?: number[]): Tensor => tensor(values, shape, 'float64');
const values = (t: Tensor): number[] => Array.from(t.toTypedArray());

describe('where', () => {
  it('picks from a where the condition is nonzero, else from b', () => {
    expect(where(f64([1, 0, 1]), f64([1, 2, 3]), f64([-1, -2, -3])).toArray()).toEqual([1, -2, 3]);
    expect(where(f64([-0.5, 0, -0, 2]), f64([1, 1, 1, 1]), f64([0, 0, 0, 0])).toArray()).toEqual([1, 0, 0, 1]);
    expect(where(f64([NaN]), f64([1]), f64([2])).toArray()).toEqual([1]); // NaN counts as nonzero
  });

  it('broadcasts all three operands together', () => {
    expect(where(f64([1, 0, 1]), f64([1, 2, 3]), f64(-1, [])).toArray()).toEqual([1, -1, 3]);
    const cond = f64([1, 0], [2, 1]);
    expect(where(cond, f64([1, 2, 3]), f64(0, [])).toArray()).toEqual([[1, 2, 3], [0, 0, 0]]);
    const out = where(f64([1, 0, 1], [1, 3]), f64([10, 20], [2, 1]), f64([7, 8, 9]));
    expect(out.toArray()).toEqual([[10, 8, 10], [20, 8, 20]]);
    expect(where(f64(1, []), f64(2, []), f64(3, [])).toArray()).toBe(2);
  });

  it('accepts a condition of the other dtype; the result has the dtype of a and b', () => {
    const out = where(tensor([1, 0]), f64([0.1, 0.2]), f64([0.3, 0.4]));
    expect(out.dtype).toBe('float64');
    expect(out.toArray()).toEqual([0.1, 0.4]);
    const out32 = where(f64([0, 1]), tensor([0.1, 0.2]), tensor([0.3, 0.4]));
    expect(out32.dtype).toBe('float32');
    expect(out32.data[0]).toBe(Math.fround(0.3));
  });

  it('reads transposed, reversed and broadcast views', () => {
    const a = transpose(f64([1, 2, 3, 4], [2, 2])); // [[1, 3], [2, 4]]
    const b = stridedSlice(f64([5, 6, 7, 8], [2, 2]), [], [], [-1]); // [[7, 8], [5, 6]]
    const c = broadcastTo(f64([1, 0]), [2, 2]);
    expect(where(c, a, b).toArray()).toEqual([[1, 8], [2, 6]]);
  });

  it('handles zero-sized operands', () => {
    expect(where(f64([], [0, 3]), f64([1, 2, 3]), f64(0, [])).shape).toEqual([0, 3]);
    expect(where(f64([1]), f64([], [2, 0]), f64([], [0])).shape).toEqual([2, 0]);
  });

  it('rejects a and b of different dtypes and shapes that do not broadcast', () => {
    expect(() => where(f64([1]), tensor([1]), f64([2]))).toThrow(/where: operands have different dtypes \(float32 and float64\)/);
    expect(() => where(f64([1, 0, 1]), f64([1, 2]), f64([3, 4]))).toThrow(
      /where: shapes \[3\], \[2\] and \[2\] do not broadcast together/,
    );
    expect(() => where(f64([1, 0]), f64([1, 2]), f64([1, 2, 3]))).toThrow(/where: shapes \[2\], \[2\] and \[3\] do not broadcast together/);
  });

  it('matches a reference loop over random broadcast shapes and views (property)', () => {
    // Three operand shapes derived from one result shape by turning dimensions into 1 and dropping leading axes.
    const operandShape = (full: number[]) =>
      fc.tuple(fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }), fc.integer({ min: 0, max: full.length })).map(
        ([ones, drop]) => full.map((d, k) => (ones[k] ? 1 : d)).slice(drop),
      );
    const arb = fc
      .array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 })
      .chain((full) => fc.tuple(operandShape(full), operandShape(full), operandShape(full), fc.boolean(), fc.constantFrom<DType>('float32', 'float64')));
    fc.assert(
      fc.property(arb, ([sc, sa, sb, reversed, dtype]) => {
        let n = 0;
        // Operands hold distinct values; the condition is 0/1 by parity. Reversed views read the same values backwards.
        const make = (shape: number[], parity: boolean): { t: Tensor; flat: number[] } => {
          const size = shape.reduce((p, d) => p * d, 1);
          const flat = Array.from({ length: size }, () => (parity ? n++ % 2 : ++n));
          if (!reversed || shape.length === 0) return { t: tensor(flat, shape, dtype), flat };
          const backwards = tensor([...flat].reverse(), shape, dtype);
          return { t: stridedSlice(backwards, [], [], shape.map(() => -1)), flat };
        };
        const c = make(sc, true);
        const a = make(sa, false);
        const b = make(sb, false);
        const rank = Math.max(sc.length, sa.length, sb.length);
        const padded = [sc, sa, sb].map((s) => [...new Array<number>(rank - s.length).fill(1), ...s]);
        const shape = Array.from({ length: rank }, (_, k) => Math.max(...padded.map((s) => s[k])) * (padded.some((s) => s[k] === 0) ? 0 : 1));
        const at = (flat: number[], s: number[], idx: number[]) => flat[idx.reduce((p, v, k) => p * s[k] + (s[k] === 1 ? 0 : v), 0)];
        const expected: number[] = [];
        const total = shape.reduce((p, d) => p * d, 1);
        for (let p = 0; p < total; p++) {
          const idx = new Array<number>(rank);
          let q = p;
          for (let k = rank - 1; k >= 0; k--) {
            idx[k] = q % shape[k];
            q = Math.floor(q / shape[k]);
          }
          expected.push(at(c.flat, padded[0], idx) !== 0 ? at(a.flat, padded[1], idx) : at(b.flat, padded[2], idx));
        }
        const out = where(c.t, a.t, b.t);
        expect(out.shape).toEqual(shape);
        expect(Array.from(out.data)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('clip', () => {
  it('limits every element to [min, max]', () => {
    expect(clip(f64([-2, 0.5, 3, 0, 1]), 0, 1).toArray()).toEqual([0, 0.5, 1, 0, 1]);
    expect(clip(f64([-5, 5]), -1, -1).toArray()).toEqual([-1, -1]);
    expect(clip(f64([-5, 5]), -Infinity, 0).toArray()).toEqual([-5, 0]);
    expect(clip(f64([NaN, Infinity, -Infinity]), -1, 1).toArray()).toEqual([NaN, 1, -1]);
  });

  it('rounds the bounds to float32 in a float32 tensor', () => {
    const out = clip(tensor([0, 1]), 0.1, 0.2);
    expect(out.dtype).toBe('float32');
    expect(Array.from(out.data)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
  });

  it('reads views and handles zero-sized and scalar tensors', () => {
    const t = transpose(f64([-1, 2, 3, -4], [2, 2])); // [[-1, 3], [2, -4]]
    expect(clip(t, -2, 2).toArray()).toEqual([[-1, 2], [2, -2]]);
    expect(clip(broadcastTo(f64([9]), [3]), 0, 1).toArray()).toEqual([1, 1, 1]);
    expect(clip(f64([], [0, 2]), 0, 1).shape).toEqual([0, 2]);
    expect(clip(f64(7, []), 0, 1).toArray()).toBe(1);
  });

  it('rejects min > max and NaN bounds', () => {
    expect(() => clip(f64([1]), 1, 0)).toThrow(/clip: need numbers min <= max, got min 1 and max 0/);
    expect(() => clip(f64([1]), NaN, 0)).toThrow(/got min NaN/);
    expect(() => clip(f64([1]), 0, NaN)).toThrow(/max NaN/);
  });
});

describe('cast', () => {
  it('converts float32 to float64 exactly and float64 to float32 by rounding', () => {
    const up = cast(tensor([0.1, 2]), 'float64');
    expect(up.dtype).toBe('float64');
    expect(up.data).toBeInstanceOf(Float64Array);
    expect(values(up)).toEqual([Math.fround(0.1), 2]);
    const down = cast(f64([0.1, 1e40, -1e40, 1e-50]), 'float32');
    expect(down.dtype).toBe('float32');
    expect(values(down)).toEqual([Math.fround(0.1), Infinity, -Infinity, 0]);
  });

  it('returns x itself when the dtype already matches', () => {
    const x = f64([1, 2]);
    expect(cast(x, 'float64')).toBe(x);
  });

  it('reads views and keeps the shape', () => {
    const t = transpose(f64([1, 2, 3, 4, 5, 6], [2, 3]));
    const c = cast(t, 'float32');
    expect(c.shape).toEqual([3, 2]);
    expect(c.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(cast(f64([], [0, 3]), 'float32').shape).toEqual([0, 3]);
    expect(cast(f64(5, []), 'float32').toArray()).toBe(5);
  });

  it('rejects unsupported dtypes', () => {
    expect(() => cast(f64([1]), 'int32' as DType)).toThrow(/cast: unsupported dtype "int32"; valid dtypes are 'float32' and 'float64'/);
  });
});
