// Tests of Variable: a private copy, assign (shapes checked), versions, and its use by tapes.
import { Tensor, kernels, tensor } from '@tapegrad/tensor';
import { describe, expect, it } from 'vitest';
import { mul } from './ops/binary.js';
import { sum } from './ops/reduce.js';
import { GradientTape } from './tape.js';
import { f64 } from './test-utils.js';
import { Variable } from './variable.js';

describe('Variable', () => {
  it('holds a private contiguous copy of its initial value', () => {
    const t = tensor([[1, 2], [3, 4]]);
    const v = new Variable(t);
    expect(v.data).not.toBe(t.data);
    expect(v.toArray()).toEqual([[1, 2], [3, 4]]);
    const fromView = new Variable(kernels.transpose(t));
    expect(fromView.isContiguous).toBe(true);
    expect(fromView.toArray()).toEqual([[1, 3], [2, 4]]);
  });

  it('has a name (default variable_<n>), trainable by default, and the dtype of its value', () => {
    const a = new Variable([1, 2]);
    expect(a.name).toMatch(/^variable_\d+$/);
    expect(a.trainable).toBe(true);
    expect(a.dtype).toBe('float32');
    expect(new Variable([1], { dtype: 'float64', name: 'w', trainable: false })).toMatchObject({ name: 'w', trainable: false, dtype: 'float64' });
  });

  it('assign writes in place, bumps the version, and checks the shape', () => {
    const v = new Variable(f64([1, 2]), { name: 'bias' });
    const data = v.data;
    v.assign(f64([3, 4]));
    expect(v.data).toBe(data);
    expect(v.toArray()).toEqual([3, 4]);
    expect(v.version).toBe(1);
    v.assign(7);
    expect(v.toArray()).toEqual([7, 7]);
    expect(v.version).toBe(2);
    expect(() => v.assign(f64([1, 2, 3]))).toThrow(/Variable 'bias': cannot assign a value of shape \[3\] to a variable of shape \[2\]/);
    v.assign(new Tensor(Float64Array.from([5, 0, 6]), [2], [2])); // a strided (non-contiguous) value
    expect(v.toArray()).toEqual([5, 6]);
  });

  it('markChanged (for in-place optimizers) makes a tape refuse stale records', () => {
    const v = new Variable(f64([1, 2]), { name: 'w' });
    const tape = new GradientTape();
    const y = tape.run(() => sum(mul(v, v)));
    v.data[0] = 10;
    v.markChanged();
    expect(() => tape.gradient(y, v)).toThrow(/variable 'w' was assigned after op #1 read it/);
  });

  it('gradients taken before an assignment stay valid', () => {
    const v = new Variable(f64([1, 2]));
    const tape = new GradientTape();
    const y = tape.run(() => sum(mul(v, v)));
    const g = tape.gradient(y, v);
    v.assign(f64([0, 0]));
    expect(g?.toArray()).toEqual([2, 4]);
  });
});
