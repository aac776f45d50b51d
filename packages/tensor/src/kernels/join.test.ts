// Tests of concat, stack and split: hand-worked values, views as inputs, zero-sized pieces and errors.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import { concat, split, stack } from './join.js';
import { broadcastTo, reshape, stridedSlice, transpose } from './views.js';

const f64 = (values: number[], shape?: number[]): Tensor => tensor(values, shape, 'float64');
const iota = (shape: number[]): Tensor => f64(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => i), shape);

describe('concat', () => {
  it('joins along axis 0 and along inner axes', () => {
    const a = f64([1, 2], [1, 2]);
    const b = f64([3, 4, 5, 6], [2, 2]);
    expect(concat([a, b]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(concat([f64([1, 2], [2, 1]), f64([3, 4, 5, 6], [2, 2])], 1).toArray()).toEqual([[1, 3, 4], [2, 5, 6]]);
    expect(concat([f64([1, 2], [2, 1]), f64([3, 4], [2, 1])], -1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(concat([f64([1]), f64([2, 3]), f64([4])]).toArray()).toEqual([1, 2, 3, 4]);
  });

  it('joins rank-3 tensors along the middle axis', () => {
    const a = iota([2, 1, 2]); // [[[0, 1]], [[2, 3]]]
    const b = f64([10, 11, 12, 13, 14, 15, 16, 17], [2, 2, 2]);
    expect(concat([a, b], 1).toArray()).toEqual([
      [[0, 1], [10, 11], [12, 13]],
      [[2, 3], [14, 15], [16, 17]],
    ]);
  });

  it('reads transposed, reversed and broadcast views', () => {
    const t = transpose(iota([2, 3])); // [[0, 3], [1, 4], [2, 5]]
    const r = stridedSlice(iota([2, 2]), [], [], [-1, -1]); // [[3, 2], [1, 0]]
    const b = broadcastTo(f64([9, 8]), [1, 2]);
    const out = concat([t, r, b]);
    expect(out.toArray()).toEqual([[0, 3], [1, 4], [2, 5], [3, 2], [1, 0], [9, 8]]);
    expect(out.isContiguous).toBe(true);
  });

  it('copies even a single tensor, and never writes into its inputs', () => {
    const a = f64([1, 2]);
    const out = concat([a]);
    expect(out.data).not.toBe(a.data);
    expect(out.toArray()).toEqual([1, 2]);
    expect(a.toArray()).toEqual([1, 2]);
  });

  it('handles zero-sized tensors and keeps the dtype', () => {
    const out = concat([f64([], [0, 2]), f64([1, 2], [1, 2]), f64([], [0, 2])]);
    expect(out.toArray()).toEqual([[1, 2]]);
    expect(out.dtype).toBe('float64');
    expect(concat([f64([], [2, 0]), f64([], [2, 0])], 1).shape).toEqual([2, 0]);
    expect(concat([f64([], [0, 3]), f64([], [0, 3])]).shape).toEqual([0, 3]);
    expect(concat([tensor([1]), tensor([2])]).dtype).toBe('float32');
  });

  it('rejects empty lists, scalars, mismatched ranks, shapes and dtypes', () => {
    expect(() => concat([])).toThrow(/concat: needs a non-empty list of tensors, got an empty list/);
    expect(() => concat([tensor(1), tensor(2)])).toThrow(/concat: cannot concatenate scalars/);
    expect(() => concat([iota([2, 2]), iota([2])])).toThrow(
      /concat: tensor 1 has shape \[2\] \(rank 1\) but tensor 0 has \[2, 2\] \(rank 2\); all must have the same rank/,
    );
    expect(() => concat([iota([2, 2]), iota([2, 2]), iota([2, 3])])).toThrow(
      /concat: tensor 2 has shape \[2, 3\] but tensor 0 has \[2, 2\]; they may differ only along axis 0 \(here they differ along axis 1\)/,
    );
    expect(() => concat([iota([2]), tensor([1])])).toThrow(/concat: tensor 1 has dtype float32 but tensor 0 has float64/);
    expect(() => concat([iota([2]), iota([2])], 1)).toThrow(/concat: axis 1 is out of range for a tensor of rank 1/);
  });
});

describe('stack', () => {
  it('joins along a new axis at any position', () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    expect(stack([a, b]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(stack([a, b], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([a, b], -1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([a, b, a]).shape).toEqual([3, 2]);
    const m = iota([2, 2]);
    expect(stack([m, m], 2).toArray()).toEqual([[[0, 0], [1, 1]], [[2, 2], [3, 3]]]);
  });

  it('stacks scalars into a vector, and views in their logical order', () => {
    expect(stack([tensor(1), tensor(2), tensor(3)]).toArray()).toEqual([1, 2, 3]);
    const t = transpose(iota([2, 2])); // [[0, 2], [1, 3]]
    expect(stack([t, reshape(f64([5, 6, 7, 8]), [2, 2])]).toArray()).toEqual([[[0, 2], [1, 3]], [[5, 6], [7, 8]]]);
  });

  it('handles zero-sized tensors', () => {
    expect(stack([f64([], [0, 2]), f64([], [0, 2])], 1).shape).toEqual([0, 2, 2]);
  });

  it('rejects empty lists, different shapes and dtypes, and bad axes', () => {
    expect(() => stack([])).toThrow(/stack: needs a non-empty list of tensors/);
    expect(() => stack([iota([2]), iota([3])])).toThrow(/stack: tensor 1 has shape \[3\] but tensor 0 has \[2\]; all tensors must have the same shape/);
    expect(() => stack([iota([2]), iota([2, 1])])).toThrow(/stack: tensor 1 has shape \[2, 1\]/);
    expect(() => stack([iota([2]), tensor([1, 2])])).toThrow(/stack: tensor 1 has dtype float32 but tensor 0 has float64/);
    expect(() => stack([iota([2]), iota([2])], 2)).toThrow(/stack: axis 2 is out of range for a tensor of rank 2/);
  });
});

describe('split', () => {
  it('cuts into equal pieces that are views of the data', () => {
    const x = f64([1, 2, 3, 4, 5, 6]);
    const parts = split(x, 3);
    expect(parts.map((p) => p.toArray())).toEqual([[1, 2], [3, 4], [5, 6]]);
    for (const p of parts) expect(p.data).toBe(x.data);
    expect(parts[2].offset).toBe(4);
  });

  it('cuts into given sizes, inferring one -1', () => {
    const x = f64([1, 2, 3, 4, 5, 6]);
    expect(split(x, [1, -1, 2]).map((p) => p.toArray())).toEqual([[1], [2, 3, 4], [5, 6]]);
    expect(split(x, [0, 6]).map((p) => p.shape)).toEqual([[0], [6]]);
    expect(split(x, [-1, 6]).map((p) => p.shape)).toEqual([[0], [6]]);
  });

  it('cuts along inner axes, and cuts views', () => {
    const m = iota([2, 4]); // [[0, 1, 2, 3], [4, 5, 6, 7]]
    expect(split(m, 2, 1).map((p) => p.toArray())).toEqual([[[0, 1], [4, 5]], [[2, 3], [6, 7]]]);
    expect(split(m, [3, 1], -1).map((p) => p.toArray())).toEqual([[[0, 1, 2], [4, 5, 6]], [[3], [7]]]);
    const t = transpose(m); // [4, 2]
    expect(split(t, [1, 3]).map((p) => p.toArray())).toEqual([[[0, 4]], [[1, 5], [2, 6], [3, 7]]]);
    const r = stridedSlice(f64([1, 2, 3, 4]), [], [], [-1]);
    expect(split(r, 2).map((p) => p.toArray())).toEqual([[4, 3], [2, 1]]);
  });

  it('undoes concat', () => {
    const a = iota([2, 3]);
    const b = f64([10, 11], [2, 1]);
    const [a2, b2] = split(concat([a, b], 1), [3, 1], 1);
    expect(a2.toArray()).toEqual(a.toArray());
    expect(b2.toArray()).toEqual(b.toArray());
  });

  it('splits a zero-length axis into empty pieces', () => {
    expect(split(f64([], [0, 2]), 2).map((p) => p.shape)).toEqual([[0, 2], [0, 2]]);
  });

  it('rejects counts that do not divide, sizes that do not add up, and bad entries', () => {
    const x = iota([6]);
    expect(() => split(x, 4)).toThrow(/split: axis 0 of shape \[6\] has length 6, which 4 does not divide/);
    expect(() => split(x, 0)).toThrow(/split: the number of pieces must be a positive integer, got 0/);
    expect(() => split(x, 1.5)).toThrow(/positive integer, got 1.5/);
    expect(() => split(x, [2, 3])).toThrow(/split: sizes \[2, 3\] add up to 5, but axis 0 of shape \[6\] has length 6/);
    expect(() => split(x, [4, -1, 3])).toThrow(/split: sizes \[4, -1, 3\] already add up to 7, more than the length 6/);
    expect(() => split(x, [-1, -1])).toThrow(/contain -1 more than once/);
    expect(() => split(x, [2, -2, 6])).toThrow(/split: size -2 at position 1 of \[2, -2, 6\] must be a non-negative integer/);
    expect(() => split(x, [2.5, 3.5])).toThrow(/size 2.5 at position 0/);
    expect(() => split(x, [])).toThrow(/split: the list of sizes is empty/);
    expect(() => split(tensor(1), 1)).toThrow(/split: axis 0 is out of range for a tensor of rank 0; a scalar has no axes/);
  });
});
