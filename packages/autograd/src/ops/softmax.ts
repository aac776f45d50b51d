// Softmax and log-softmax along one axis: the stable kernels forward, VJPs written with ops (so they differentiate again).
import { type Tensor, kernels, normalizeAxis } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';
import { mul, sub } from './binary.js';
import { sum } from './reduce.js';
import { exp } from './unary.js';

const softmaxOp = defineOp<number>('softmax', {
  forward: ([x], axis) => kernels.softmax(x, axis),
  // y = softmax(x): dx = y·(g - Σ g·y), the sum along the axis
  vjp: (g, { output: y, attrs: axis }) => [mul(y, sub(g, sum(mul(g, y), axis, true)))],
});

const logSoftmaxOp = defineOp<number>('logSoftmax', {
  forward: ([x], axis) => kernels.logSoftmax(x, axis),
  // y = logSoftmax(x): dx = g - e^y·Σ g, since ∂yᵢ/∂xⱼ = δᵢⱼ - softmax(x)ⱼ and e^y = softmax(x)
  vjp: (g, { output: y, attrs: axis }) => [sub(g, mul(exp(y), sum(g, axis, true)))],
});

/**
 * The softmax along `axis` (default: the last): softmax(x)ᵢ = e^xᵢ / Σⱼ e^xⱼ, computed stably.
 * Its VJP is y·(g − Σ g·y).
 * @example
 * ```ts
 * softmax(tensor([0, Math.LN2])); // [1/3, 2/3]
 * ```
 */
export const softmax = (x: Tensor, axis = -1): Tensor => softmaxOp([x], normalizeAxis(axis, x.rank, 'softmax'));

/**
 * The log of the softmax along `axis` (default: the last): xᵢ − log Σⱼ e^xⱼ, computed directly for accuracy.
 * Its VJP is g − e^y·Σ g.
 * @example
 * ```ts
 * logSoftmax(tensor([0, Math.LN2])); // [-ln 3, ln 2 - ln 3]
 * ```
 */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => logSoftmaxOp([x], normalizeAxis(axis, x.rank, 'logSoftmax'));
