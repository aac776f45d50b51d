// Tests of customGradient: values, hand-written gradients, errors naming the op, and nesting for second order.
import type { Tensor } from '@tapegrad/tensor';
import { describe, expect, it } from 'vitest';
import { customGradient } from './custom-gradient.js';
import { grad } from './grad.js';
import { add, mul } from './ops/binary.js';
import { sum } from './ops/reduce.js';
import { exp, log, sigmoid, square } from './ops/unary.js';
import { GradientTape } from './tape.js';
import { expectClose, expectGradOk, f64 } from './test-utils.js';

// log(1 + e^x) with the gradient sigmoid(x), written with ops so it differentiates again
const softplus = customGradient((x: Tensor) => ({
  value: log(add(exp(x), 1)),
  gradFunc: (dy) => mul(dy, sigmoid(x)),
}), 'mySoftplus');

describe('customGradient', () => {
  it('computes the value, records one step named after the op, and uses the hand-written gradient', () => {
    const x = f64([0, 1]);
    expectClose(softplus(x), [Math.log(2), Math.log(1 + Math.E)]);
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.run(() => sum(softplus(x)));
    expect(tape.records.map((r) => r.op)).toEqual(['mySoftplus', 'sum']); // the inside is not recorded
    expectClose(tape.gradient(y, x) as Tensor, [0.5, 1 / (1 + Math.exp(-1))]);
  });

  it('passes gradCheck', () => {
    expectGradOk('customGradient softplus', softplus, [f64([-1.5, 0.2, 2])]);
  });

  it('nests under an outer tape: the second derivative of softplus is σ(x)(1 - σ(x))', () => {
    const d2 = grad((x: Tensor) => sum(grad((y: Tensor) => sum(softplus(y)))(x)))(f64([0, 1]));
    const s = 1 / (1 + Math.exp(-1));
    expectClose(d2, [0.25, s * (1 - s)]);
  });

  it('takes several inputs; gradients come back one per input (null for none)', () => {
    const scaled = customGradient((x: Tensor, k: Tensor) => ({ value: mul(x, k), gradFunc: (dy) => [mul(dy, k), null] }), 'scaled');
    const [dx, dk] = grad((x: Tensor, k: Tensor) => sum(scaled(x, k)))(f64([1, 2]), f64([3]));
    expect(Array.from(dx.toTypedArray())).toEqual([3, 3]);
    expect(Array.from(dk.toTypedArray())).toEqual([0]); // null: unconnected, so grad gives zeros
  });

  it('a gradient function returning the wrong number of gradients is an error naming the op', () => {
    const bad = customGradient((x: Tensor, y: Tensor) => ({ value: mul(x, y), gradFunc: (dy) => [dy] }), 'twoInputs');
    expect(() => grad((x: Tensor, y: Tensor) => sum(bad(x, y)))(f64([1]), f64([2]))).toThrow(
      /twoInputs: the gradient function returned 1 gradients for 2 inputs/,
    );
  });

  it('a gradient of the wrong shape is an error naming the op, the input and both shapes', () => {
    const bad = customGradient((x: Tensor) => ({ value: square(x), gradFunc: () => f64([1, 2]) }), 'wrongShape');
    expect(() => grad((x: Tensor) => sum(bad(x)))(f64([1, 2, 3]))).toThrow(
      /wrongShape: the gradient for input 0 has shape \[2\] but the input has shape \[3\]/,
    );
  });

  it('a gradient function returning something else than tensors is an error naming the op', () => {
    const bad = customGradient((x: Tensor) => ({ value: square(x), gradFunc: () => 3 as unknown as Tensor }), 'returnsNumber');
    expect(() => grad((x: Tensor) => sum(bad(x)))(f64([1]))).toThrow(/returnsNumber: gradFunc returned number/);
    const worse = customGradient((x: Tensor) => ({ value: square(x), gradFunc: () => [3 as unknown as Tensor] }), 'arrayOfNumber');
    expect(() => grad((x: Tensor) => sum(worse(x)))(f64([1]))).toThrow(/arrayOfNumber: the gradient for input 0 is number, not a Tensor/);
  });

  it('a function not returning { value, gradFunc } is an error naming the op', () => {
    const bad = customGradient((x: Tensor) => square(x) as unknown as { value: Tensor; gradFunc: (dy: Tensor) => Tensor }, 'noShape');
    expect(() => bad(f64([1]))).toThrow(/noShape: the function must return \{ value: Tensor, gradFunc/);
  });

  it('returning an input as the value still gives the op its own output', () => {
    const identity = customGradient((x: Tensor) => ({ value: x, gradFunc: (dy) => mul(dy, 2) }), 'doubleGrad');
    const x = f64([1]);
    expect(identity(x)).not.toBe(x);
    expect(Array.from(grad((y: Tensor) => sum(identity(y)))(x).toTypedArray())).toEqual([2]);
  });
});
