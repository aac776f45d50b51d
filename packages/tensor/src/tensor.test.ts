// Tests of the Tensor view: constructor validation, reading elements out, contiguity and printing.
import { describe, expect, it } from 'vitest';
import { Tensor } from './tensor.js';
import { arange, tensor } from './create.js';

const f64 = (...v: number[]): Float64Array => Float64Array.from(v);

describe('Tensor constructor', () => {
  it('wraps data with row-major strides by default', () => {
    const data = new Float32Array(6);
    const t = new Tensor(data, [2, 3]);
    expect(t.data).toBe(data);
    expect(t.strides).toEqual([3, 1]);
    expect(t.offset).toBe(0);
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(t.dtype).toBe('float32');
    expect(new Tensor(new Float64Array(1), []).dtype).toBe('float64');
    expect(new Tensor(new Float64Array(1), []).size).toBe(1);
  });

  it('gives every tensor its own increasing id', () => {
    const a = new Tensor(new Float32Array(1), []);
    const b = new Tensor(a.data, []);
    expect(b.id).toBeGreaterThan(a.id);
  });

  it('rejects data that is not a Float32Array or Float64Array', () => {
    expect(() => new Tensor([1, 2] as unknown as Float32Array, [2])).toThrow(/Tensor: data must be a Float32Array or a Float64Array/);
    expect(() => new Tensor(new Int32Array(2) as unknown as Float32Array, [2])).toThrow(/Float32Array or a Float64Array/);
  });

  it('rejects strides of another length than the shape', () => {
    expect(() => new Tensor(new Float32Array(6), [2, 3], [1])).toThrow(/Tensor: shape \[2, 3\] and strides \[1\] have different lengths/);
  });

  it('rejects views that read outside the data, at either end', () => {
    expect(() => new Tensor(new Float32Array(6), [2, 3], [3, 1], 1)).toThrow(
      /Tensor: a view of shape \[2, 3\], strides \[3, 1\] and offset 1 reads outside its data of length 6/,
    );
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(/reads outside its data of length 5/);
    expect(() => new Tensor(new Float32Array(3), [3], [-1], 1)).toThrow(/reads outside/);
    expect(() => new Tensor(new Float32Array(3), [], [], 3)).toThrow(/offset 3 reads outside/);
    expect(() => new Tensor(new Float32Array(3), [], [], -1)).toThrow(/reads outside/);
    // The same views placed where they fit are fine.
    expect(new Tensor(new Float32Array(3), [3], [-1], 2).size).toBe(3);
    expect(new Tensor(new Float32Array(7), [2, 3], [3, 1], 1).size).toBe(6);
  });

  it('rejects a fractional offset', () => {
    expect(() => new Tensor(new Float32Array(4), [2], [1], 0.5)).toThrow(/offset 0.5/);
  });

  it('rejects negative or fractional dimensions and fractional strides', () => {
    expect(() => new Tensor(new Float32Array(4), [-1])).toThrow(/Tensor: shape \[-1\] with strides \[1\] is invalid at axis 0/);
    expect(() => new Tensor(new Float32Array(4), [2.5])).toThrow(/dimensions must be non-negative integers/);
    expect(() => new Tensor(new Float32Array(4), [2, -2], [1, 1])).toThrow(/invalid at axis 1/);
    expect(() => new Tensor(new Float32Array(4), [2], [0.5])).toThrow(/strides integers/);
  });

  it('accepts empty views, which read nothing', () => {
    const t = new Tensor(new Float32Array(0), [0, 5]);
    expect(t.size).toBe(0);
    expect(t.toArray()).toEqual([]);
    expect(new Tensor(new Float32Array(0), [3, 0]).toArray()).toEqual([[], [], []]);
  });
});

describe('toArray and toTypedArray', () => {
  it('nest by the shape; a scalar is a plain number', () => {
    expect(new Tensor(f64(1, 2, 3, 4, 5, 6), [2, 3]).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(new Tensor(f64(1, 2, 3, 4), [2, 1, 2]).toArray()).toEqual([[[1, 2]], [[3, 4]]]);
    expect(new Tensor(f64(7), []).toArray()).toBe(7);
    expect(new Tensor(f64(1, 2), [2, 0, 1], [2, 1, 1]).toArray()).toEqual([[], []]);
  });

  it('copy a contiguous view starting at its offset', () => {
    const data = f64(0, 1, 2, 3, 4);
    const t = new Tensor(data, [2], [1], 2);
    const out = t.toTypedArray();
    expect(Array.from(out)).toEqual([2, 3]);
    expect(out).toBeInstanceOf(Float64Array);
    out[0] = 99;
    expect(data[2]).toBe(2); // a copy, not a window
  });

  it('read non-contiguous views in row-major order of the view', () => {
    const data = f64(1, 2, 3, 4, 5, 6); // as a [2, 3] matrix: [[1, 2, 3], [4, 5, 6]]
    // the transpose: element [i, j] at data[i + 3j]
    expect(Array.from(new Tensor(data, [3, 2], [1, 3]).toTypedArray())).toEqual([1, 4, 2, 5, 3, 6]);
    // both axes reversed: element [i, j] at data[5 - 3i - j]
    expect(Array.from(new Tensor(data, [2, 3], [-3, -1], 5).toTypedArray())).toEqual([6, 5, 4, 3, 2, 1]);
    // the last two columns: element [i, j] at data[1 + 3i + j]
    expect(Array.from(new Tensor(data, [2, 2], [3, 1], 1).toTypedArray())).toEqual([2, 3, 5, 6]);
    // a broadcast row: element [i, j] at data[j]
    expect(Array.from(new Tensor(data, [2, 3], [0, 1]).toTypedArray())).toEqual([1, 2, 3, 1, 2, 3]);
    // every other element, backwards, of a float32 view
    const t32 = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [3], [-2], 5);
    const out = t32.toTypedArray();
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual([6, 4, 2]);
    expect(new Tensor(data, [3, 2], [1, 3]).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });
});

describe('item and get', () => {
  it('item returns the single element of any shape holding one', () => {
    expect(new Tensor(f64(0, 5), [], [], 1).item()).toBe(5);
    expect(new Tensor(f64(0, 0, 8), [1, 1], [7, 3], 2).item()).toBe(8);
  });
  it('item rejects tensors of other sizes', () => {
    expect(() => new Tensor(f64(1, 2), [2]).item()).toThrow(/item: the tensor has shape \[2\] \(2 elements\); item\(\) needs exactly one/);
    expect(() => new Tensor(f64(), [0]).item()).toThrow(/\(0 elements\)/);
  });
  it('get reads one element of a view; negative indices count from the end', () => {
    const t = new Tensor(f64(1, 2, 3, 4, 5, 6), [3, 2], [1, 3]); // [[1, 4], [2, 5], [3, 6]]
    expect(t.get(0, 1)).toBe(4);
    expect(t.get(2, 0)).toBe(3);
    expect(t.get(-1, -1)).toBe(6);
    expect(t.get(-3, 0)).toBe(1);
    expect(new Tensor(f64(9), []).get()).toBe(9);
  });
  it('get rejects indices of the wrong length or outside the shape', () => {
    const t = new Tensor(f64(1, 2, 3, 4, 5, 6), [2, 3]);
    expect(() => t.get(0)).toThrow(/get: index \[0\] has 1 entries; the tensor has rank 2/);
    expect(() => t.get(2, 0)).toThrow(/get: index 2 is out of range for axis 0 of size 2 \(shape \[2, 3\]\)/);
    expect(() => t.get(0, -4)).toThrow(/index -4 is out of range for axis 1/);
    expect(() => t.get(0, 1.5)).toThrow(/index 1.5/);
  });
});

describe('isContiguous', () => {
  const data = new Float32Array(12);
  it('is true for row-major layouts, wherever they start', () => {
    expect(new Tensor(data, [3, 4]).isContiguous).toBe(true);
    expect(new Tensor(data, [2, 4], [4, 1], 4).isContiguous).toBe(true); // rows 1-2
    expect(new Tensor(data, [], [], 5).isContiguous).toBe(true);
    expect(new Tensor(data, [0, 4]).isContiguous).toBe(true);
  });
  it('ignores the strides of length-1 axes', () => {
    expect(new Tensor(data, [3, 1, 4], [4, 99, 1]).isContiguous).toBe(true);
    expect(new Tensor(data, [1, 4], [0, 1]).isContiguous).toBe(true);
  });
  it('is false for transposes, column blocks, steps, reversals and broadcasts', () => {
    expect(new Tensor(data, [4, 3], [1, 4]).isContiguous).toBe(false);
    expect(new Tensor(data, [3, 2], [4, 1], 1).isContiguous).toBe(false);
    expect(new Tensor(data, [6], [2]).isContiguous).toBe(false);
    expect(new Tensor(data, [12], [-1], 11).isContiguous).toBe(false);
    expect(new Tensor(data, [3, 4], [0, 1]).isContiguous).toBe(false);
  });
});

describe('toString', () => {
  it('prints small tensors in full, NumPy style', () => {
    expect(tensor([[1.5, 2], [3, 4]]).toString()).toBe('tensor([[1.5000, 2.0000],\n        [3.0000, 4.0000]], shape=[2, 2], dtype=float32)');
    expect(tensor([1, -20, 3], undefined, 'float64').toString()).toBe('tensor([  1., -20.,   3.], shape=[3], dtype=float64)');
    expect(tensor(3).toString()).toBe('tensor(3., shape=[], dtype=float32)');
    expect(tensor([]).toString()).toBe('tensor([], shape=[0], dtype=float32)');
    expect(tensor([NaN, Infinity, -Infinity, 0.5]).toString()).toBe('tensor([   nan,    inf,   -inf, 0.5000], shape=[4], dtype=float32)');
  });

  it('separates blocks of rank-3 tensors with a blank line', () => {
    const t = new Tensor(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), [2, 2, 2]);
    expect(t.toString()).toBe(
      'tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]], shape=[2, 2, 2], dtype=float32)',
    );
  });

  it('prints views in their logical order', () => {
    const t = new Tensor(Float32Array.from([1, 2, 3, 4]), [2, 2], [1, 2]);
    expect(t.toString()).toBe('tensor([[1., 3.],\n        [2., 4.]], shape=[2, 2], dtype=float32)');
  });

  it('switches to scientific notation for very large or very small values', () => {
    expect(tensor([1e-5, 1], undefined, 'float64').toString()).toBe('tensor([1.0000e-05, 1.0000e+00], shape=[2], dtype=float64)');
    expect(tensor([1.5e9, 2], undefined, 'float64').toString()).toBe('tensor([1.5000e+09, 2.0000e+00], shape=[2], dtype=float64)');
    expect(tensor([1e8], undefined, 'float64').toString()).toBe('tensor([1.0000e+08], shape=[1], dtype=float64)');
    // Small integers stay integers; 1e-4 itself is not yet "small".
    expect(tensor([0.0001, 1], undefined, 'float64').toString()).toBe('tensor([0.0001, 1.0000], shape=[2], dtype=float64)');
  });

  it('elides the middle of each axis past 1000 elements, keeping 3 at each end', () => {
    expect(arange(1000).toString()).not.toContain('...');
    expect(arange(1001).toString()).toBe('tensor([   0.,    1.,    2., ...,  998.,  999., 1000.], shape=[1001], dtype=float32)');
    const m = new Tensor(Float64Array.from({ length: 40 * 30 }, (_, i) => i), [40, 30]);
    const lines = m.toString().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('tensor([[   0.,    1.,    2., ...,   27.,   28.,   29.],');
    expect(lines[3]).toBe('        ...,');
    expect(lines[6]).toBe('        [1170., 1171., 1172., ..., 1197., 1198., 1199.]], shape=[40, 30], dtype=float64)');
    // Short axes of a large tensor are printed in full.
    const tall = new Tensor(new Float32Array(2000), [1000, 2]);
    expect(tall.toString().split('\n')[0]).toBe('tensor([[0., 0.],');
  });
});
