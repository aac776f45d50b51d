// Tests of oneHot: hand-worked rows, on/off values and dtypes, tensor indices, out-of-range rows and errors.
import { describe, expect, it } from 'vitest';
import { tensor } from '../create.js';
import { oneHot } from './one-hot.js';
import { stridedSlice, transpose } from './views.js';

describe('oneHot', () => {
  it('encodes each index as a row with one 1', () => {
    const out = oneHot([2, 0, 1], 3);
    expect(out.shape).toEqual([3, 3]);
    expect(out.dtype).toBe('float32');
    expect(out.toArray()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  });

  it('gives an all-off row for an index outside [0, depth), as TensorFlow does', () => {
    expect(oneHot([2, 0, 5, -1, 3], 3).toArray()).toEqual([[0, 0, 1], [1, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect(oneHot([1, -1], 2, { onValue: 5, offValue: -5 }).toArray()).toEqual([[-5, 5], [-5, -5]]);
  });

  it('uses the on and off values and the dtype asked for', () => {
    const out = oneHot([1, 0], 2, { onValue: 0.9, offValue: 0.05, dtype: 'float64' });
    expect(out.dtype).toBe('float64');
    expect(out.toArray()).toEqual([[0.05, 0.9], [0.9, 0.05]]);
    expect(oneHot([0], 2, { onValue: 0.1 }).data[0]).toBe(Math.fround(0.1));
  });

  it('appends the depth axis to the shape of tensor indices, read in logical order', () => {
    const idx = tensor([[0, 1], [2, 0]]);
    const out = oneHot(idx, 3);
    expect(out.shape).toEqual([2, 2, 3]);
    expect(out.toArray()).toEqual([[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 0, 0]]]);
    expect(oneHot(transpose(idx), 3).toArray()).toEqual([[[1, 0, 0], [0, 0, 1]], [[0, 1, 0], [1, 0, 0]]]);
    expect(oneHot(stridedSlice(tensor([0, 1, 2]), [], [], [-1]), 3).toArray()).toEqual([[0, 0, 1], [0, 1, 0], [1, 0, 0]]);
    expect(oneHot(tensor(1), 2).toArray()).toEqual([0, 1]);
  });

  it('handles no indices and depth 0', () => {
    expect(oneHot([], 4).shape).toEqual([0, 4]);
    expect(oneHot([0, 1], 0).shape).toEqual([2, 0]);
    expect(oneHot(tensor([], [2, 0]), 3).shape).toEqual([2, 0, 3]);
  });

  it('rejects non-integer indices, bad depths and bad dtypes', () => {
    expect(() => oneHot([0, 1.5], 3)).toThrow(/oneHot: index 1.5 at position 1 of indices \[2\] is not an integer/);
    expect(() => oneHot(tensor([NaN]), 3)).toThrow(/oneHot: index NaN/);
    expect(() => oneHot([0], -1)).toThrow(/oneHot: depth must be a non-negative integer, got -1/);
    expect(() => oneHot([0], 2.5)).toThrow(/depth must be a non-negative integer, got 2.5/);
    expect(() => oneHot([0], 2, { dtype: 'int32' as 'float32' })).toThrow(/oneHot: unsupported dtype "int32"/);
  });
});
