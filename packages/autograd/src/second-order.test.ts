// Second derivatives against hand-worked values: tanh, mixed partials, a quadratic form's Hessian, exp, a mean,
// and the clear error of a once-differentiable op.
import { type Tensor, kernels } from '@tapegrad/tensor';
import { describe, expect, it } from 'vitest';
import { defineOp } from './define-op.js';
import { grad } from './grad.js';
import { mul } from './ops/binary.js';
import { matmul } from './ops/matmul.js';
import { mean, sum } from './ops/reduce.js';
import { exp, square, tanh } from './ops/unary.js';
import { expectClose, f64 } from './test-utils.js';

/** Row i of the Hessian of scalar f at x: the gradient of ∂f/∂xᵢ. */
const hessianRow = (f: (x: Tensor) => Tensor, x: Tensor, i: number): Tensor =>
  grad((v: Tensor) => sum(mul(grad(f)(v), f64(Array.from({ length: x.size }, (_, j) => +(i === j))))))(x);

describe('second derivatives', () => {
  it('tanh\'\' = −2·tanh·(1 − tanh²)', () => {
    const xs = [-1.3, 0, 0.4, 2];
    const d2 = grad((x: Tensor) => sum(grad((y: Tensor) => sum(tanh(y)))(x)))(f64(xs));
    expectClose(d2, xs.map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)), 12);
  });

  it('mixed partials of x·x·y: ∂²/∂x² = 2y, ∂²/∂x∂y = ∂²/∂y∂x = 2x, ∂²/∂y² = 0', () => {
    const f = (x: Tensor, y: Tensor): Tensor => sum(mul(mul(x, x), y));
    const [x, y] = [f64([1.5]), f64([-2])];
    expectClose(grad((a: Tensor) => grad(f, { argnums: 0 })(a, y))(x), [2 * -2]);
    expectClose(grad((b: Tensor) => grad(f, { argnums: 0 })(x, b))(y), [2 * 1.5]);
    expectClose(grad((a: Tensor) => grad(f, { argnums: 1 })(a, y))(x), [2 * 1.5]);
    const [dyy] = grad((b: Tensor) => grad(f, { argnums: 1 })(x, b), { argnums: [0] })(y);
    expectClose(dyy, [0]);
  });

  it('the Hessian of the quadratic form xᵀAx is A + Aᵀ (matmul to second order)', () => {
    const A = f64([[2, -1, 0], [3, 1, 0.5], [1, 0, -2]]);
    const x = f64([0.3, -1, 2]);
    const quad = (v: Tensor): Tensor => matmul(v, matmul(A, v));
    const sym = [[4, 2, 1], [2, 2, 0.5], [1, 0.5, -4]];
    for (let i = 0; i < 3; i++) expectClose(hessianRow(quad, x, i), sym[i]);
  });

  it('the Hessian of Σ e^x is diag(e^x)', () => {
    const x = f64([0.5, -1]);
    expectClose(hessianRow((v) => sum(exp(v)), x, 0), [Math.exp(0.5), 0]);
    expectClose(hessianRow((v) => sum(exp(v)), x, 1), [0, Math.exp(-1)]);
  });

  it('d²/dx² of mean(x²) is (2/n)·I, through the mean reduction', () => {
    const x = f64([1, -2, 3, 0.5]);
    for (let i = 0; i < 4; i++) expectClose(hessianRow((v) => mean(square(v)), x, i), [0, 1, 2, 3].map((j) => (i === j ? 0.5 : 0)));
  });

  it('third order works through composed ops: d³/dx³ e^(2x) = 8e^(2x)', () => {
    const d = (f: (x: Tensor) => Tensor) => (x: Tensor): Tensor => sum(grad(f)(x));
    const third = grad(d(d((x: Tensor) => sum(exp(mul(x, 2))))))(f64([0.25]));
    expectClose(third, [8 * Math.exp(0.5)]);
  });

  it('a once-differentiable op gives its first derivative and throws a clear error on the second', () => {
    // x³ with a closed-form gradient 3x² computed by raw kernels
    const cubeOp = defineOp('cube', {
      forward: ([x]) => kernels.mul(kernels.mul(x, x), x),
      vjp: (g, { inputs: [x] }) => [kernels.mul(g, kernels.mul(kernels.mul(x, x), f64(3)))],
      onceDifferentiable: true,
    });
    const cube = (x: Tensor): Tensor => cubeOp([x], undefined);
    expectClose(grad((x: Tensor) => sum(cube(x)))(f64([2])), [12]);
    expect(() => grad((x: Tensor) => sum(grad((y: Tensor) => sum(cube(y)))(x)))(f64([2]))).toThrow(
      /cube: its gradient is computed by a fused kernel and cannot be differentiated again \(the op is once-differentiable\)/,
    );
  });
});
