// Binary elementwise ops with NumPy broadcasting: forward kernel and VJP side by side.
// defineOp's caller (backprop) sums each gradient back to its operand's shape, so VJPs ignore broadcasting.
import { type Tensor, kernels } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';
import { type TensorLike, toTensors } from '../tensor-like.js';
import { where } from './select.js';
import { log, neg } from './unary.js';

// ---- arithmetic ----

const addOp = defineOp('add', {
  forward: ([a, b]) => kernels.add(a, b),
  vjp: (g) => [g, g],
});

const subOp = defineOp('sub', {
  forward: ([a, b]) => kernels.sub(a, b),
  vjp: (g, { needs }) => [g, needs[1] ? neg(g) : null],
});

const mulOp = defineOp('mul', {
  forward: ([a, b]) => kernels.mul(a, b),
  vjp: (g, { inputs: [a, b], needs }) => [needs[0] ? mul(g, b) : null, needs[1] ? mul(g, a) : null],
});

const divOp = defineOp('div', {
  forward: ([a, b]) => kernels.div(a, b),
  // d(a/b)/db = -a/b² = -(a/b)/b: reuse the output
  vjp: (g, { inputs: [, b], output, needs }) => [needs[0] ? div(g, b) : null, needs[1] ? neg(div(mul(g, output), b)) : null],
});

const powOp = defineOp('pow', {
  forward: ([a, b]) => kernels.pow(a, b),
  vjp: (g, { inputs: [a, b], output, needs }) => [
    needs[0] ? mul(g, mul(b, pow(a, sub(b, 1)))) : null,
    needs[1] ? mul(g, mul(output, logWherePositive(a))) : null,
  ],
});

// d(a^b)/db = a^b·ln a, taken as 0 where a <= 0 (TensorFlow's convention) rather than NaN. The log only ever sees
// positive values (log(1) = 0 elsewhere), so neither the check-numerics mode nor a second derivative meets log(0).
function logWherePositive(a: Tensor): Tensor {
  const positive = greater(a, 0);
  return where(positive, log(where(positive, a, 1)), 0);
}

const maximumOp = defineOp('maximum', {
  forward: ([a, b]) => kernels.maximum(a, b),
  // ties send the gradient to a
  vjp: (g, { inputs: [a, b] }) => [mul(g, greaterEqual(a, b)), mul(g, less(a, b))],
});

const minimumOp = defineOp('minimum', {
  forward: ([a, b]) => kernels.minimum(a, b),
  vjp: (g, { inputs: [a, b] }) => [mul(g, lessEqual(a, b)), mul(g, greater(a, b))],
});

const squaredDifferenceOp = defineOp('squaredDifference', {
  forward: ([a, b]) => kernels.squaredDifference(a, b),
  vjp: (g, { inputs: [a, b], needs }) => {
    const da = mul(g, mul(2, sub(a, b)));
    return [da, needs[1] ? neg(da) : null];
  },
});

/** a + b, elementwise with broadcasting. @example `add(x, 1)` */
export const add = (a: TensorLike, b: TensorLike): Tensor => addOp(toTensors(a, b));
/** a - b, elementwise with broadcasting. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => subOp(toTensors(a, b));
/** a * b, elementwise with broadcasting. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => mulOp(toTensors(a, b));
/** a / b, elementwise with broadcasting. */
export const div = (a: TensorLike, b: TensorLike): Tensor => divOp(toTensors(a, b));
/** a ** b, elementwise with broadcasting; the gradient for b is taken as 0 where a <= 0. */
export const pow = (a: TensorLike, b: TensorLike): Tensor => powOp(toTensors(a, b));
/** The larger of a and b, elementwise; on ties the gradient goes to a. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => maximumOp(toTensors(a, b));
/** The smaller of a and b, elementwise; on ties the gradient goes to a. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => minimumOp(toTensors(a, b));
/** (a - b)², elementwise with broadcasting. */
export const squaredDifference = (a: TensorLike, b: TensorLike): Tensor => squaredDifferenceOp(toTensors(a, b));

// ---- comparisons: 1 where true, else 0; constants for gradients (nothing flows through them) ----

const equalOp = defineOp('equal', { forward: ([a, b]) => kernels.equal(a, b), vjp: null });
const notEqualOp = defineOp('notEqual', { forward: ([a, b]) => kernels.notEqual(a, b), vjp: null });
const greaterOp = defineOp('greater', { forward: ([a, b]) => kernels.greater(a, b), vjp: null });
const greaterEqualOp = defineOp('greaterEqual', { forward: ([a, b]) => kernels.greaterEqual(a, b), vjp: null });
const lessOp = defineOp('less', { forward: ([a, b]) => kernels.less(a, b), vjp: null });
const lessEqualOp = defineOp('lessEqual', { forward: ([a, b]) => kernels.lessEqual(a, b), vjp: null });

/** 1 where a == b, else 0. Not differentiable: the result is a constant. */
export const equal = (a: TensorLike, b: TensorLike): Tensor => equalOp(toTensors(a, b));
/** 1 where a != b, else 0. Not differentiable. */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => notEqualOp(toTensors(a, b));
/** 1 where a > b, else 0. Not differentiable. */
export const greater = (a: TensorLike, b: TensorLike): Tensor => greaterOp(toTensors(a, b));
/** 1 where a >= b, else 0. Not differentiable. */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => greaterEqualOp(toTensors(a, b));
/** 1 where a < b, else 0. Not differentiable. */
export const less = (a: TensorLike, b: TensorLike): Tensor => lessOp(toTensors(a, b));
/** 1 where a <= b, else 0. Not differentiable. */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => lessEqualOp(toTensors(a, b));
