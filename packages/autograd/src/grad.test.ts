// Tests of the functional API: grad and valueAndGrad (argnums, several arguments, nesting), vjp, stopGradient.
import { type Tensor, tensor } from '@tapegrad/tensor';
import { describe, expect, it } from 'vitest';
import { grad, stopGradient, valueAndGrad, vjp } from './grad.js';
import { add, mul, sub } from './ops/binary.js';
import { sum } from './ops/reduce.js';
import { exp, sin, square } from './ops/unary.js';
import { noGrad } from './recorder.js';
import { expectClose, f64 } from './test-utils.js';
import { Variable } from './variable.js';

const values = (t: Tensor): number[] => Array.from(t.toTypedArray());
// f(x, y, z) = Σ x²·y + 3z, so ∂x = 2xy, ∂y = x², ∂z = 3
const f = (x: Tensor, y: Tensor, z: Tensor): Tensor => add(sum(mul(square(x), y)), sum(mul(z, 3)));
const [X, Y, Z] = [f64([1, 2]), f64([3, 4]), f64([5])];

describe('grad', () => {
  it('of a one-argument function returns one tensor', () => {
    expect(values(grad((x: Tensor) => sum(square(x)))(f64([1, 2, 3])))).toEqual([2, 4, 6]);
  });

  it('of several arguments returns one gradient per argument', () => {
    const [dx, dy, dz] = grad(f)(X, Y, Z);
    expect(values(dx)).toEqual([6, 16]);
    expect(values(dy)).toEqual([1, 4]);
    expect(values(dz)).toEqual([3]);
  });

  it('argnums as a number returns that gradient alone; as an array, those gradients in that order', () => {
    expect(values(grad(f, { argnums: 1 })(X, Y, Z))).toEqual([1, 4]);
    const [dz, dx] = grad(f, { argnums: [2, 0] })(X, Y, Z);
    expect(values(dz)).toEqual([3]);
    expect(values(dx)).toEqual([6, 16]);
  });

  it('argnums out of range, or naming a non-tensor, is an error', () => {
    expect(() => grad(f, { argnums: 3 })(X, Y, Z)).toThrow(/argnums 3 names argument 3, but the function got 3 arguments/);
    expect(() => grad(f, { argnums: [0, -1] })(X, Y, Z)).toThrow(/argnums \[0,-1\]/);
  });

  it('an argument the result does not use gets zeros', () => {
    const [dx, dy] = grad((x: Tensor, _y: Tensor) => sum(x))(f64([1, 2]), f64([[7, 8, 9]]));
    expect(values(dx)).toEqual([1, 1]);
    expect(dy.shape).toEqual([1, 3]);
    expect(values(dy)).toEqual([0, 0, 0]);
  });

  it('a non-tensor result is an error', () => {
    expect(() => grad((() => 3) as unknown as (x: Tensor) => Tensor)(X)).toThrow(/must return a Tensor/);
  });

  it('works with a Variable argument, and inside noGrad', () => {
    const w = new Variable(f64([2, 3]));
    expect(values(grad((v: Tensor) => sum(square(v)))(w))).toEqual([4, 6]);
    expect(values(noGrad(() => grad((v: Tensor) => sum(square(v)))(w)))).toEqual([4, 6]);
  });

  it('nests: grad of grad is the second derivative (d²/dx² sin x = -sin x)', () => {
    const d2 = grad((x: Tensor) => sum(grad((y: Tensor) => sum(sin(y)))(x)))(f64([0.3, 1.2]));
    expectClose(d2, [-Math.sin(0.3), -Math.sin(1.2)]);
  });
});

describe('valueAndGrad', () => {
  it('returns the value of the same forward pass with the gradient', () => {
    const { value, grad: g } = valueAndGrad((x: Tensor) => sum(square(x)))(f64([3]));
    expect(value.item()).toBe(9);
    expect(values(g)).toEqual([6]);
  });

  it('takes argnums like grad', () => {
    const one = valueAndGrad(f, { argnums: 0 })(X, Y, Z);
    expect(one.value.item()).toBe(3 + 16 + 15);
    expect(values(one.grad)).toEqual([6, 16]);
    const two = valueAndGrad(f, { argnums: [1, 2] })(X, Y, Z);
    expect(two.grad.map(values)).toEqual([[1, 4], [3]]);
  });
});

describe('vjp', () => {
  it('maps output gradients to input gradients, and can be called many times', () => {
    const { value, vjp: back } = vjp((x: Tensor, y: Tensor) => mul(x, y), [f64([1, 2]), f64([3, 4])]);
    expect(values(value)).toEqual([3, 8]);
    const first = back(f64([1, 1]));
    expect(first.map(values)).toEqual([[3, 4], [1, 2]]);
    const second = back(f64([2, 0]));
    expect(second.map(values)).toEqual([[6, 0], [2, 0]]);
  });

  it('checks the cotangent shape', () => {
    const { vjp: back } = vjp((x: Tensor) => exp(x), [f64([1, 2])]);
    expect(() => back(f64([1]))).toThrow(/outputGradient has shape \[1\]/);
  });
});

describe('stopGradient', () => {
  it('passes values and blocks gradients', () => {
    const g = grad((x: Tensor) => sum(mul(x, stopGradient(x))))(f64([3]));
    expect(values(g)).toEqual([3]);
    const h = grad((x: Tensor) => sum(sub(square(x), square(stopGradient(x)))))(tensor([2], [1], 'float64'));
    expect(values(h)).toEqual([4]);
  });
});
