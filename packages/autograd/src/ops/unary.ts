// Unary elementwise ops: forward kernel and VJP side by side, the VJPs written with ops so they differentiate again.
import { type Tensor, kernels, zerosLike } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';
import { isRecording } from '../recorder.js';
import { add, div, greater, mul, sub } from './binary.js';

const negOp = defineOp('neg', { forward: ([x]) => kernels.neg(x), vjp: (g) => [neg(g)] });
const absOp = defineOp('abs', { forward: ([x]) => kernels.abs(x), vjp: (g, { inputs: [x] }) => [mul(g, sign(x))] });
const expOp = defineOp('exp', { forward: ([x]) => kernels.exp(x), vjp: (g, { output }) => [mul(g, output)] });
const expm1Op = defineOp('expm1', { forward: ([x]) => kernels.expm1(x), vjp: (g, { output }) => [mul(g, add(output, 1))] });
const logOp = defineOp('log', { forward: ([x]) => kernels.log(x), vjp: (g, { inputs: [x] }) => [div(g, x)] });
const log1pOp = defineOp('log1p', { forward: ([x]) => kernels.log1p(x), vjp: (g, { inputs: [x] }) => [div(g, add(x, 1))] });
const sqrtOp = defineOp('sqrt', { forward: ([x]) => kernels.sqrt(x), vjp: (g, { output }) => [div(g, mul(output, 2))] });
const rsqrtOp = defineOp('rsqrt', {
  forward: ([x]) => kernels.rsqrt(x),
  vjp: (g, { output }) => [mul(g, mul(-0.5, mul(output, square(output))))], // d x^-1/2 = -1/2 x^-3/2
});
const squareOp = defineOp('square', { forward: ([x]) => kernels.square(x), vjp: (g, { inputs: [x] }) => [mul(g, mul(x, 2))] });
const reciprocalOp = defineOp('reciprocal', {
  forward: ([x]) => kernels.reciprocal(x),
  vjp: (g, { output }) => [neg(mul(g, square(output)))],
});
// relu, sigmoid and tanh: off the tapes (a first-order gradient) one kernel pass gives the same numbers as the ops,
// which a recording tape needs to differentiate again.
const reluOp = defineOp('relu', {
  forward: ([x]) => kernels.relu(x),
  // 0 at x = 0, as Keras (relu(x) > 0 exactly where x > 0)
  vjp: (g, { inputs: [x], output }) => [isRecording() ? mul(g, greater(x, 0)) : kernels.activationGrad(g, output, 'relu')],
});
const sigmoidOp = defineOp('sigmoid', {
  forward: ([x]) => kernels.sigmoid(x),
  vjp: (g, { output }) => [isRecording() ? mul(g, mul(output, sub(1, output))) : kernels.activationGrad(g, output, 'sigmoid')],
});
const tanhOp = defineOp('tanh', {
  forward: ([x]) => kernels.tanh(x),
  vjp: (g, { output }) => [isRecording() ? mul(g, sub(1, square(output))) : kernels.activationGrad(g, output, 'tanh')],
});
const softplusOp = defineOp('softplus', { forward: ([x]) => kernels.softplus(x), vjp: (g, { inputs: [x] }) => [mul(g, sigmoid(x))] });
const sinOp = defineOp('sin', { forward: ([x]) => kernels.sin(x), vjp: (g, { inputs: [x] }) => [mul(g, cos(x))] });
const cosOp = defineOp('cos', { forward: ([x]) => kernels.cos(x), vjp: (g, { inputs: [x] }) => [neg(mul(g, sin(x)))] });
const erfOp = defineOp('erf', {
  forward: ([x]) => kernels.erf(x),
  vjp: (g, { inputs: [x] }) => [mul(g, mul(2 / Math.sqrt(Math.PI), exp(neg(square(x)))))],
});
// Piecewise-constant functions: the gradient is 0 wherever it exists (PyTorch's convention).
const zeroGrad = (_g: Tensor, { inputs: [x] }: { inputs: readonly Tensor[] }): Tensor[] => [zerosLike(x)];
const signOp = defineOp('sign', { forward: ([x]) => kernels.sign(x), vjp: zeroGrad });
const floorOp = defineOp('floor', { forward: ([x]) => kernels.floor(x), vjp: zeroGrad });
const ceilOp = defineOp('ceil', { forward: ([x]) => kernels.ceil(x), vjp: zeroGrad });
const roundOp = defineOp('round', { forward: ([x]) => kernels.round(x), vjp: zeroGrad });

/** -x. @example `neg(tensor([1, -2]))` is [-1, 2] */
export const neg = (x: Tensor): Tensor => negOp([x]);
/** |x|; the gradient is sign(x) (0 at 0). */
export const abs = (x: Tensor): Tensor => absOp([x]);
/** e^x. */
export const exp = (x: Tensor): Tensor => expOp([x]);
/** e^x - 1, accurate near 0. */
export const expm1 = (x: Tensor): Tensor => expm1Op([x]);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => logOp([x]);
/** log(1 + x), accurate near 0. */
export const log1p = (x: Tensor): Tensor => log1pOp([x]);
/** √x. */
export const sqrt = (x: Tensor): Tensor => sqrtOp([x]);
/** 1/√x. */
export const rsqrt = (x: Tensor): Tensor => rsqrtOp([x]);
/** x². */
export const square = (x: Tensor): Tensor => squareOp([x]);
/** 1/x. */
export const reciprocal = (x: Tensor): Tensor => reciprocalOp([x]);
/** max(x, 0); the gradient at 0 is 0, as in Keras. */
export const relu = (x: Tensor): Tensor => reluOp([x]);
/** 1 / (1 + e^-x). */
export const sigmoid = (x: Tensor): Tensor => sigmoidOp([x]);
/** tanh(x). */
export const tanh = (x: Tensor): Tensor => tanhOp([x]);
/** log(1 + e^x); its gradient is sigmoid(x). */
export const softplus = (x: Tensor): Tensor => softplusOp([x]);
/** sin(x). */
export const sin = (x: Tensor): Tensor => sinOp([x]);
/** cos(x). */
export const cos = (x: Tensor): Tensor => cosOp([x]);
/** The error function; its gradient is 2/√π·e^(-x²). */
export const erf = (x: Tensor): Tensor => erfOp([x]);
/** -1, 0 or 1 by the sign of x; gradient 0. */
export const sign = (x: Tensor): Tensor => signOp([x]);
/** ⌊x⌋; gradient 0. */
export const floor = (x: Tensor): Tensor => floorOp([x]);
/** ⌈x⌉; gradient 0. */
export const ceil = (x: Tensor): Tensor => ceilOp([x]);
/** Nearest integer, halves to even; gradient 0. */
export const round = (x: Tensor): Tensor => roundOp([x]);
