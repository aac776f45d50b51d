// Tests of the scijs ndarray bridge: shared memory both ways, strided views, and copies of plain-array storage.
import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { fromNdarray, toNdarray } from './interop.js';
import { tensor } from './create.js';
import { Tensor } from './tensor.js';

describe('fromNdarray', () => {
  it('shares Float32Array storage: writes through the ndarray show in the tensor', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const nd = ndarray(data, [2, 3]);
    const t = fromNdarray(nd);
    expect(t.data).toBe(data);
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([2, 3]);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    nd.set(1, 2, 60);
    expect(t.get(1, 2)).toBe(60);
  });

  it('shares Float64Array storage as a float64 tensor', () => {
    const data = new Float64Array([0.5, 1.5]);
    const t = fromNdarray(ndarray(data));
    expect(t.data).toBe(data);
    expect(t.dtype).toBe('float64');
  });

  it('keeps the strides and offset of transposed, sliced and reversed views', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const nd = ndarray(data, [2, 3]);
    const tr = fromNdarray(nd.transpose(1, 0));
    expect(tr.data).toBe(data);
    expect(tr.shape).toEqual([3, 2]);
    expect(tr.strides).toEqual([1, 3]);
    expect(tr.isContiguous).toBe(false);
    expect(tr.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);

    const block = fromNdarray(nd.lo(0, 1).hi(2, 2)); // columns 1..2
    expect(block.offset).toBe(1);
    expect(block.toArray()).toEqual([[2, 3], [5, 6]]);

    const reversed = fromNdarray(nd.step(-1, -1));
    expect(reversed.toArray()).toEqual([[6, 5, 4], [3, 2, 1]]);
    expect(reversed.data).toBe(data);
  });

  it('copies plain-array storage into float32, in the view’s logical order', () => {
    const plain = [1, 2, 3, 4, 5, 6];
    const nd = ndarray(plain, [2, 3]).transpose(1, 0);
    const t = fromNdarray(nd);
    expect(t.dtype).toBe('float32');
    expect(t.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(t.isContiguous).toBe(true);
    plain[0] = 100;
    expect(t.get(0, 0)).toBe(1); // a copy
  });

  it('copies integer typed-array storage into float32', () => {
    const ints = new Int32Array([7, 8, 9]);
    const t = fromNdarray(ndarray(ints));
    expect(t.dtype).toBe('float32');
    expect(t.toArray()).toEqual([7, 8, 9]);
    ints[0] = 0;
    expect(t.get(0)).toBe(7);
  });
});

describe('toNdarray', () => {
  it('views the same memory: reads agree and writes show in the tensor', () => {
    const t = tensor([[1, 2], [3, 4]]);
    const nd = toNdarray(t);
    expect(nd.data).toBe(t.data);
    expect(nd.shape).toEqual([2, 2]);
    expect(nd.get(1, 0)).toBe(3);
    nd.set(0, 1, 20);
    expect(t.get(0, 1)).toBe(20);
  });

  it('carries the strides and offset of a view', () => {
    const base = tensor([1, 2, 3, 4, 5, 6], [2, 3], 'float64');
    const view = new Tensor(base.data, [3, 2], [1, 3], 0); // the transpose
    const nd = toNdarray(view);
    expect(nd.stride).toEqual([1, 3]);
    expect(nd.get(2, 1)).toBe(6);
    const tail = new Tensor(base.data, [2], [1], 4);
    expect(toNdarray(tail).get(1)).toBe(6);
  });

  it('round-trips through fromNdarray without copying', () => {
    const t = new Tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 2], [-3, 1], 4); // [[5, 6], [2, 3]]
    const back = fromNdarray(toNdarray(t));
    expect(back.data).toBe(t.data);
    expect(back.toArray()).toEqual([[5, 6], [2, 3]]);
  });
});
