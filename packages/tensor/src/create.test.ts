// Tests of tensor creation: from JavaScript values (shared or copied storage, errors), constants and ranges.
import { describe, expect, it } from 'vitest';
import type { DType } from './dtype.js';
import { arange, eye, full, linspace, ones, onesLike, tensor, zeros, zerosLike } from './create.js';

const values = (t: { toTypedArray(): ArrayLike<number> }): number[] => Array.from(t.toTypedArray());

describe('tensor', () => {
  it('reads the shape off nested arrays, float32 by default', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensor([[[1], [2]]]).shape).toEqual([1, 2, 1]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
  });

  it('makes scalars from numbers, with an optional shape of one element', () => {
    const s = tensor(3.5);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(3.5);
    expect(tensor(2, [1, 1]).toArray()).toEqual([[2]]);
  });

  it('reads flat arrays by the given shape', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [3, 2], 'float64');
    expect(t.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(t.dtype).toBe('float64');
    expect(tensor([[1, 2], [3, 4]], [4]).toArray()).toEqual([1, 2, 3, 4]);
  });

  it('rounds values to float32', () => {
    expect(tensor([0.1]).data[0]).toBe(Math.fround(0.1));
    expect(tensor([0.1], undefined, 'float64').data[0]).toBe(0.1);
  });

  it('wraps a typed array of the requested dtype without copying', () => {
    const a32 = new Float32Array([1, 2, 3, 4]);
    const t = tensor(a32, [2, 2]);
    expect(t.data).toBe(a32);
    expect(t.dtype).toBe('float32');
    a32[0] = 9;
    expect(t.get(0, 0)).toBe(9); // shared storage
    const a64 = new Float64Array([0.5, 1.5]);
    expect(tensor(a64).data).toBe(a64);
    expect(tensor(a64).dtype).toBe('float64');
    expect(tensor(a64, undefined, 'float64').data).toBe(a64);
  });

  it('copies a typed array of the other dtype, and any other array', () => {
    const a32 = new Float32Array([1, 2]);
    const t = tensor(a32, undefined, 'float64');
    expect(t.dtype).toBe('float64');
    expect(t.data).not.toBe(a32);
    a32[0] = 9;
    expect(values(t)).toEqual([1, 2]);

    const plain = [1, 2, 3];
    const p = tensor(plain);
    plain[0] = 9;
    expect(values(p)).toEqual([1, 2, 3]);

    const ints = new Int32Array([4, 5, 6]);
    const i = tensor(ints, [3, 1]);
    expect(i.dtype).toBe('float32');
    expect(i.toArray()).toEqual([[4], [5], [6]]);
    ints[0] = 0;
    expect(i.get(0, 0)).toBe(4);
    expect(tensor({ length: 2, 0: 7, 1: 8 } as ArrayLike<number>, undefined, 'float64').toArray()).toEqual([7, 8]);
  });

  it('rejects ragged nesting and non-numbers, saying where', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array: the entry at \[1\] has length 1 where shape \[2, 2\] needs length 2/);
    expect(() => tensor([[1, 2], 3] as unknown as number[][])).toThrow(/the entry at \[1\] has number/);
    expect(() => tensor([1, [2]] as unknown as number[])).toThrow(/tensor: expected a number at \[1\], got an array; nested arrays must be regular/);
    expect(() => tensor([[1, 'a']] as unknown as number[][])).toThrow(/expected a number at \[0, 1\], got string/);
    expect(() => tensor('abc' as unknown as number[])).toThrow(/cannot make a tensor from string/);
  });

  it('rejects a value count that does not fit the shape', () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/tensor: 3 values do not fit shape \[2, 2\], which holds 4/);
    expect(() => tensor(new Float32Array(5), [2, 3])).toThrow(/5 values do not fit shape \[2, 3\], which holds 6/);
    expect(() => tensor(1, [2])).toThrow(/1 values do not fit shape \[2\]/);
    expect(() => tensor(new Int32Array(2), [3])).toThrow(/2 values do not fit/);
  });

  it('rejects bad shapes and dtypes', () => {
    expect(() => tensor([1, 2], [-2])).toThrow(/tensor: dimension 0 of shape \[-2\] is -2; dimensions must be non-negative integers/);
    expect(() => tensor([1, 2], [0.5, 4])).toThrow(/dimension 0 of shape \[0.5, 4\] is 0.5/);
    expect(() => tensor([1], undefined, 'int32' as DType)).toThrow(/tensor: unsupported dtype "int32"; valid dtypes are 'float32' and 'float64'/);
    expect(() => tensor(new Float32Array(1), undefined, 'float16' as DType)).toThrow(/unsupported dtype "float16"/);
  });
});

describe('full, zeros, ones and the *Like forms', () => {
  it('fill a shape with one value', () => {
    expect(full([2, 2], 7).toArray()).toEqual([[7, 7], [7, 7]]);
    expect(full([3], NaN, 'float64').toArray()).toEqual([NaN, NaN, NaN]);
    expect(full([], -1).item()).toBe(-1);
    expect(full([0, 3], 1).size).toBe(0);
    expect(zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(zeros([2]).dtype).toBe('float32');
    const o = ones([3], 'float64');
    expect(o.dtype).toBe('float64');
    expect(o.toArray()).toEqual([1, 1, 1]);
  });
  it('copy the shape and dtype of a tensor', () => {
    const t = tensor([[1, 2, 3]], undefined, 'float64');
    const z = zerosLike(t);
    expect(z.shape).toEqual([1, 3]);
    expect(z.dtype).toBe('float64');
    expect(z.toArray()).toEqual([[0, 0, 0]]);
    expect(onesLike(t).toArray()).toEqual([[1, 1, 1]]);
    expect(onesLike(t).data).not.toBe(t.data);
  });
  it('reject bad shapes and dtypes', () => {
    expect(() => zeros([2, -1])).toThrow(/full: dimension 1 of shape \[2, -1\] is -1/);
    expect(() => ones([1.5])).toThrow(/dimension 0 of shape \[1.5\] is 1.5/);
    expect(() => full([2], 0, 'int8' as DType)).toThrow(/full: unsupported dtype "int8"/);
  });
});

describe('eye', () => {
  it('puts ones on the main diagonal of square and rectangular matrices', () => {
    expect(eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye(3, 2, 'float64').toArray()).toEqual([[1, 0], [0, 1], [0, 0]]);
    expect(eye(3, 2, 'float64').dtype).toBe('float64');
    expect(eye(0).shape).toEqual([0, 0]);
  });
  it('rejects bad sizes', () => {
    expect(() => eye(-1)).toThrow(/eye: dimension 0 of shape \[-1, -1\] is -1/);
    expect(() => eye(2, 1.5)).toThrow(/eye: dimension 1/);
  });
});

describe('arange', () => {
  it('counts from 0 with one argument, and from start by step with more', () => {
    expect(values(arange(4))).toEqual([0, 1, 2, 3]);
    expect(values(arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(values(arange(2, 5))).toEqual([2, 3, 4]);
    expect(values(arange(5, 0, -2))).toEqual([5, 3, 1]);
    expect(values(arange(0, 1, 0.3, 'float64'))).toEqual([0, 0.3, 0.6, 0.8999999999999999]);
    expect(arange(3, undefined, 1, 'float64').dtype).toBe('float64');
  });
  it('is empty when the range is', () => {
    expect(arange(0).shape).toEqual([0]);
    expect(arange(3, 1).shape).toEqual([0]);
    expect(arange(1, 3, -1).shape).toEqual([0]);
  });
  it('rejects a zero step and non-finite bounds', () => {
    expect(() => arange(0, 1, 0)).toThrow(/arange: start 0, stop 1 and step 0 must be finite, with a non-zero step/);
    expect(() => arange(Infinity)).toThrow(/stop Infinity/);
    expect(() => arange(0, NaN)).toThrow(/must be finite/);
  });
});

describe('linspace', () => {
  it('spaces num values evenly, both ends included exactly', () => {
    expect(values(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(values(linspace(2, -2, 3))).toEqual([2, 0, -2]);
    const t = linspace(0, 0.3, 4, 'float64');
    expect(t.dtype).toBe('float64');
    expect(t.data[3]).toBe(0.3);
    expect(t.data[1]).toBeCloseTo(0.1, 15);
    expect(values(linspace(3, 7, 1))).toEqual([3]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
  });
  it('rejects a negative or fractional count', () => {
    expect(() => linspace(0, 1, -1)).toThrow(/linspace: dimension 0 of shape \[-1\] is -1/);
    expect(() => linspace(0, 1, 2.5)).toThrow(/linspace: dimension 0 of shape \[2.5\]/);
  });
});
