// Tests of pad: hand-worked borders, constant values, views as inputs, zero sizes and errors.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import { pad } from './pad.js';
import { broadcastTo, stridedSlice, transpose } from './views.js';

const f64 = (values: number[], shape?: number[]): Tensor => tensor(values, shape, 'float64');

describe('pad', () => {
  it('adds zeros before and after each axis', () => {
    expect(pad(f64([1, 2]), [[1, 2]]).toArray()).toEqual([0, 1, 2, 0, 0]);
    expect(pad(f64([1, 2], [1, 2]), [[1, 0], [0, 2]]).toArray()).toEqual([[0, 0, 0, 0], [1, 2, 0, 0]]);
    expect(pad(f64([1, 2, 3, 4], [2, 2]), [[1, 1], [1, 1]]).toArray()).toEqual([
      [0, 0, 0, 0],
      [0, 1, 2, 0],
      [0, 3, 4, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('pads rank-3 tensors on inner axes only', () => {
    const x = f64([1, 2, 3, 4], [2, 1, 2]);
    expect(pad(x, [[0, 0], [1, 0], [0, 1]]).toArray()).toEqual([
      [[0, 0, 0], [1, 2, 0]],
      [[0, 0, 0], [3, 4, 0]],
    ]);
  });

  it('fills with the constant value, and keeps the dtype', () => {
    expect(pad(f64([1, 2]), [[1, 1]], -1).toArray()).toEqual([-1, 1, 2, -1]);
    expect(pad(f64([1]), [[1, 0]], NaN).toArray()).toEqual([NaN, 1]);
    expect(pad(f64([1]), [[0, 1]], -0).toArray()).toEqual([1, -0]);
    const p = pad(tensor([1]), [[1, 0]], 0.1);
    expect(p.dtype).toBe('float32');
    expect(p.data[0]).toBe(Math.fround(0.1));
  });

  it('copies a scalar with no paddings, and with zero paddings returns an equal copy', () => {
    const s = f64([5], []);
    const ps = pad(s, []);
    expect(ps.toArray()).toBe(5);
    expect(ps.data).not.toBe(s.data);
    const m = f64([1, 2, 3, 4], [2, 2]);
    const pm = pad(m, [[0, 0], [0, 0]]);
    expect(pm.toArray()).toEqual(m.toArray());
    expect(pm.data).not.toBe(m.data);
  });

  it('reads transposed, reversed and broadcast views', () => {
    const t = transpose(f64([1, 2, 3, 4, 5, 6], [2, 3])); // [[1, 4], [2, 5], [3, 6]]
    expect(pad(t, [[0, 1], [1, 0]]).toArray()).toEqual([[0, 1, 4], [0, 2, 5], [0, 3, 6], [0, 0, 0]]);
    const r = stridedSlice(f64([1, 2, 3]), [], [], [-1]);
    expect(pad(r, [[2, 0]], 9).toArray()).toEqual([9, 9, 3, 2, 1]);
    const b = broadcastTo(f64([7]), [2, 2]);
    expect(pad(b, [[1, 0], [0, 0]]).toArray()).toEqual([[0, 0], [7, 7], [7, 7]]);
  });

  it('handles zero-sized tensors and zero-sized results', () => {
    expect(pad(f64([], [0]), [[1, 2]], 3).toArray()).toEqual([3, 3, 3]);
    expect(pad(f64([], [2, 0]), [[0, 0], [1, 0]]).toArray()).toEqual([[0], [0]]);
    expect(pad(f64([], [0, 2]), [[0, 0], [1, 1]]).shape).toEqual([0, 4]);
  });

  it('never writes into its input', () => {
    const x = f64([1, 2]);
    pad(x, [[1, 1]], 5);
    expect(x.toArray()).toEqual([1, 2]);
  });

  it('rejects the wrong number of pairs and amounts that are not non-negative integers', () => {
    const x = f64([1, 2, 3, 4], [2, 2]);
    expect(() => pad(x, [[1, 1]])).toThrow(/pad: needs one \[before, after\] pair per axis of shape \[2, 2\] \(2\), got 1 pairs/);
    expect(() => pad(x, [[1, 1], [0, -1]])).toThrow(/pad: padding \[0, -1\] for axis 1 must be a pair \[before, after\] of non-negative integers/);
    expect(() => pad(x, [[0.5, 1], [0, 0]])).toThrow(/padding \[0.5, 1\] for axis 0/);
    expect(() => pad(x, [[1] as unknown as [number, number], [0, 0]])).toThrow(/padding \[1\] for axis 0/);
  });
});
