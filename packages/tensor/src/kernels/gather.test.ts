// Tests of gather and scatterAdd: hand-worked values, index forms, views, zero sizes, the adjoint identity and errors.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import { gather, scatterAdd } from './gather.js';
import { broadcastTo, stridedSlice, transpose } from './views.js';

const f64 = (values: number[], shape?: number[]): Tensor => tensor(values, shape, 'float64');
const iota = (shape: number[]): Tensor => f64(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => i), shape);
const values = (t: Tensor): number[] => Array.from(t.toTypedArray());

describe('gather', () => {
  const m = f64([1, 2, 3, 4, 5, 6], [3, 2]); // [[1, 2], [3, 4], [5, 6]]

  it('takes rows along axis 0, repeating and reordering', () => {
    expect(gather(m, [2, 0]).toArray()).toEqual([[5, 6], [1, 2]]);
    expect(gather(m, [1, 1, 1]).toArray()).toEqual([[3, 4], [3, 4], [3, 4]]);
    expect(gather(m, [0, 1, 2]).toArray()).toEqual(m.toArray());
  });

  it('takes columns along other axes', () => {
    expect(gather(m, [1], 1).toArray()).toEqual([[2], [4], [6]]);
    expect(gather(m, [1, 0], -1).toArray()).toEqual([[2, 1], [4, 3], [6, 5]]);
    const x = iota([2, 3, 2]);
    // out[i, k, j] = x[i, idx[k], j]
    expect(gather(x, [2, 0], 1).toArray()).toEqual([[[4, 5], [0, 1]], [[10, 11], [6, 7]]]);
  });

  it('puts the shape of tensor indices in place of the axis', () => {
    const idx = f64([0, 2, 1, 0], [2, 2]);
    const out = gather(m, idx);
    expect(out.shape).toEqual([2, 2, 2]);
    expect(out.toArray()).toEqual([[[1, 2], [5, 6]], [[3, 4], [1, 2]]]);
    const cols = gather(f64([1, 2, 3, 4], [2, 2]), tensor([[1, 1]]), 1);
    expect(cols.shape).toEqual([2, 1, 2]);
    expect(cols.toArray()).toEqual([[[2, 2]], [[4, 4]]]);
    expect(gather(f64([7, 8, 9]), tensor(2)).toArray()).toBe(9); // a scalar index removes the axis
    expect(gather(f64([7, 8, 9]), tensor(2)).shape).toEqual([]);
  });

  it('accepts Int32Array indices and keeps the dtype', () => {
    expect(gather(m, new Int32Array([2])).toArray()).toEqual([[5, 6]]);
    const g = gather(tensor([1, 2, 3]), [0]);
    expect(g.dtype).toBe('float32');
    expect(gather(m, [0]).dtype).toBe('float64');
  });

  it('reads views of x and of the indices', () => {
    const t = transpose(m); // [[1, 3, 5], [2, 4, 6]]
    expect(gather(t, [2, 0], 1).toArray()).toEqual([[5, 1], [6, 2]]);
    const r = stridedSlice(m, [], [], [-1]); // [[5, 6], [3, 4], [1, 2]]
    expect(gather(r, [0, 2]).toArray()).toEqual([[5, 6], [1, 2]]);
    const b = broadcastTo(f64([1, 2]), [3, 2]);
    expect(gather(b, [2]).toArray()).toEqual([[1, 2]]);
    const idx = stridedSlice(f64([0, 1, 2]), [], [], [-1]); // [2, 1, 0]
    expect(gather(m, idx).toArray()).toEqual([[5, 6], [3, 4], [1, 2]]);
  });

  it('handles zero-sized results and inputs', () => {
    expect(gather(m, []).shape).toEqual([0, 2]);
    expect(gather(m, [], 1).shape).toEqual([3, 0]);
    expect(gather(f64([], [2, 0]), [1, 0]).shape).toEqual([2, 0]);
    expect(gather(f64([], [0, 3]), [2], 1).shape).toEqual([0, 1]);
  });

  it('rejects negative, fractional and out-of-range indices, naming the index and the range', () => {
    expect(() => gather(m, [0, -1])).toThrow(
      /gather: index -1 at position 1 is out of range for axis 0 of length 3 \(negative indices are not allowed\); valid indices are integers 0..2/,
    );
    expect(() => gather(m, [3])).toThrow(/gather: index 3 at position 0 is out of range for axis 0 of length 3; valid indices are integers 0..2/);
    expect(() => gather(m, [0.5])).toThrow(/gather: index 0.5 at position 0/);
    expect(() => gather(m, f64([NaN]))).toThrow(/gather: index NaN/);
    expect(() => gather(m, [2], 1)).toThrow(/index 2 at position 0 is out of range for axis 1 of length 2; valid indices are integers 0..1/);
    expect(() => gather(f64([], [0, 2]), [0])).toThrow(/axis 0 has length 0, so no index is valid/);
    expect(() => gather(m, [0], 2)).toThrow(/gather: axis 2 is out of range for a tensor of rank 2/);
    expect(() => gather(tensor(1), [0])).toThrow(/gather: axis 0 is out of range for a tensor of rank 0/);
  });
});

describe('scatterAdd', () => {
  it('adds each update at its index, accumulating duplicates', () => {
    expect(scatterAdd([3], [0, 2, 0], f64([1, 2, 3])).toArray()).toEqual([4, 0, 2]);
    expect(scatterAdd([3, 2], [2, 2], f64([1, 2, 10, 20], [2, 2])).toArray()).toEqual([[0, 0], [0, 0], [11, 22]]);
  });

  it('scatters along inner axes', () => {
    // out[i, idx[k]] += u[i, k]
    expect(scatterAdd([2, 3], [1, 1, 0], f64([1, 2, 3, 4, 5, 6], [2, 3]), 1).toArray()).toEqual([[3, 3, 0], [6, 9, 0]]);
    expect(scatterAdd([2, 2], tensor([[1]]), f64([5, 7], [2, 1, 1]), -1).toArray()).toEqual([[0, 5], [0, 7]]);
  });

  it('reads views of the updates and keeps their dtype', () => {
    const u = transpose(f64([1, 2, 3, 4], [2, 2])); // [[1, 3], [2, 4]]
    expect(scatterAdd([3, 2], [0, 2], u).toArray()).toEqual([[1, 3], [0, 0], [2, 4]]);
    expect(scatterAdd([2], [1], tensor([1])).dtype).toBe('float32');
    const b = broadcastTo(f64([1]), [3]);
    expect(scatterAdd([2], [1, 1, 0], b).toArray()).toEqual([1, 2]);
  });

  it('handles empty updates and zero-sized shapes', () => {
    expect(scatterAdd([3], [], f64([])).toArray()).toEqual([0, 0, 0]);
    expect(scatterAdd([0, 2], [], f64([], [0, 2])).shape).toEqual([0, 2]);
    expect(scatterAdd([3, 0], [1, 1], f64([], [2, 0])).shape).toEqual([3, 0]);
  });

  it('is the adjoint of gather: <gather(x, i), u> = <x, scatterAdd(shape, i, u)>', () => {
    const x = f64([0.5, -1, 2, 3, -0.25, 4, 1.5, -2, 0.75, 1, -3, 2.5], [3, 4]);
    const idx = [3, 0, 3, 1, 3];
    const u = f64(Array.from({ length: 15 }, (_, i) => (i % 7) - 3), [3, 5]);
    const lhs = values(gather(x, idx, 1)).reduce((s, v, i) => s + v * values(u)[i], 0);
    const rhs = values(scatterAdd([3, 4], idx, u, 1)).reduce((s, v, i) => s + v * values(x)[i], 0);
    expect(rhs).toBeCloseTo(lhs, 12);
  });

  it('rejects updates of the wrong shape, bad indices and bad shapes', () => {
    expect(() => scatterAdd([3, 2], [0, 1], f64([1, 2, 3, 4, 5, 6], [3, 2]))).toThrow(
      /scatterAdd: updates have shape \[3, 2\], but a result of shape \[3, 2\] with indices of shape \[2\] along axis 0 needs updates of shape \[2, 2\]/,
    );
    expect(() => scatterAdd([3], [3], f64([1]))).toThrow(/scatterAdd: index 3 at position 0 is out of range for axis 0 of length 3/);
    expect(() => scatterAdd([3], [-1], f64([1]))).toThrow(/negative indices are not allowed/);
    expect(() => scatterAdd([3, -1], [0], f64([1]))).toThrow(/scatterAdd: dimension 1 of shape \[3, -1\] is -1/);
    expect(() => scatterAdd([3], [0], f64([1]), 1)).toThrow(/scatterAdd: axis 1 is out of range for a tensor of rank 1/);
  });
});
