// Tests of tile: hand-worked repetitions, views as inputs, zero sizes and tf's strict reps rule.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import { tile } from './tile.js';
import { broadcastTo, stridedSlice, transpose } from './views.js';

const f64 = (values: number[], shape?: number[]): Tensor => tensor(values, shape, 'float64');

describe('tile', () => {
  it('repeats the whole tensor along each axis', () => {
    expect(tile(f64([1, 2]), [3]).toArray()).toEqual([1, 2, 1, 2, 1, 2]);
    expect(tile(f64([1, 2], [1, 2]), [2, 2]).toArray()).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
    expect(tile(f64([1, 2, 3, 4], [2, 2]), [2, 1]).toArray()).toEqual([[1, 2], [3, 4], [1, 2], [3, 4]]);
    expect(tile(f64([1, 2, 3, 4], [2, 2]), [1, 2]).toArray()).toEqual([[1, 2, 1, 2], [3, 4, 3, 4]]);
  });

  it('tiles rank-3 tensors: out[i, j, k] = x[i mod 1, j mod 2, k mod 1]', () => {
    const out = tile(f64([5, 6], [1, 2, 1]), [2, 2, 3]);
    expect(out.shape).toEqual([2, 4, 3]);
    const row = [[5, 5, 5], [6, 6, 6], [5, 5, 5], [6, 6, 6]];
    expect(out.toArray()).toEqual([row, row]);
  });

  it('with all reps 1 returns an equal contiguous copy; a scalar takes []', () => {
    const m = f64([1, 2, 3, 4], [2, 2]);
    const t = tile(m, [1, 1]);
    expect(t.toArray()).toEqual(m.toArray());
    expect(t.data).not.toBe(m.data);
    expect(tile(f64([3], []), []).toArray()).toBe(3);
  });

  it('reads transposed, reversed and broadcast views', () => {
    const t = transpose(f64([1, 2, 3, 4, 5, 6], [2, 3])); // [[1, 4], [2, 5], [3, 6]]
    expect(tile(t, [1, 2]).toArray()).toEqual([[1, 4, 1, 4], [2, 5, 2, 5], [3, 6, 3, 6]]);
    expect(tile(stridedSlice(f64([1, 2, 3]), [], [], [-2]), [2]).toArray()).toEqual([3, 1, 3, 1]);
    expect(tile(broadcastTo(f64([1, 2]), [2, 2]), [2, 1]).toArray()).toEqual([[1, 2], [1, 2], [1, 2], [1, 2]]);
  });

  it('keeps the dtype and handles zero reps and zero-sized tensors', () => {
    expect(tile(tensor([1]), [2]).dtype).toBe('float32');
    expect(tile(f64([1, 2]), [0]).shape).toEqual([0]);
    expect(tile(f64([1, 2, 3, 4], [2, 2]), [0, 3]).shape).toEqual([0, 6]);
    expect(tile(f64([], [0, 2]), [3, 2]).shape).toEqual([0, 4]);
  });

  it('needs exactly one rep per axis (TensorFlow rule) of non-negative integers', () => {
    const m = f64([1, 2, 3, 4], [2, 2]);
    expect(() => tile(m, [2])).toThrow(
      /tile: reps \[2\] \(1 entries\) must have one entry per axis of shape \[2, 2\] \(2\); use reshape or expandDims to add axes first/,
    );
    expect(() => tile(m, [1, 1, 2])).toThrow(/tile: reps \[1, 1, 2\] \(3 entries\)/);
    expect(() => tile(m, [1, -1])).toThrow(/tile: reps\[1\] is -1; repetitions must be non-negative integers/);
    expect(() => tile(m, [1.5, 1])).toThrow(/tile: reps\[0\] is 1.5/);
  });
});
