// 2-D max and average pooling (NHWC). avgPool2d is linear, so its backward op has avgPool2d as VJP and differentiates
// to any order; maxPool2d's backward is a raw kernel, so maxPool2d is once-differentiable.
import { type Shape, type Tensor, kernels } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';

/** Options of the poolings: poolSize (default 2), strides (default poolSize), padding 'valid' (default) or 'same'. */
export type Pool2dOptions = kernels.Pool2dOptions;

const maxPool2dOp = defineOp<Pool2dOptions>('maxPool2d', {
  forward: ([x], options) => kernels.maxPool2d(x, options),
  // each window's gradient goes to its winning cell (the first maximum on ties)
  vjp: (g, { inputs: [x], attrs: options }) => [kernels.maxPool2dBackward(g, x, options)],
  // the backward kernel routes g by the argmax of x; no differentiable op expresses that routing, so second
  // derivatives through maxPool2d throw instead of being silently zero
  onceDifferentiable: true,
});

const avgPool2dOp = defineOp<Pool2dOptions>('avgPool2d', {
  forward: ([x], options) => kernels.avgPool2d(x, options),
  vjp: (g, { inputs: [x], attrs: options }) => [avgPool2dBackward(g, x.shape, options)],
});

const avgPool2dBackwardOp = defineOp<{ readonly inputShape: Shape; readonly options: Pool2dOptions }>('avgPool2dBackward', {
  forward: ([dy], { inputShape, options }) => kernels.avgPool2dBackward(dy, inputShape, options),
  // both are linear and each other's adjoint (the same window counts divide both)
  vjp: (h, { attrs: { options } }) => [avgPool2d(h, options)],
});

/**
 * 2-D max pooling of an NHWC input: the largest cell of each window (padded cells never win).
 * Once-differentiable: a second derivative through it throws.
 * @example `maxPool2d(x, { poolSize: 2 })` halves height and width
 */
export const maxPool2d = (x: Tensor, options: Pool2dOptions = {}): Tensor => maxPool2dOp([x], options);

/**
 * 2-D average pooling of an NHWC input: the mean of each window's real cells ('same' padding is not counted).
 * Differentiable to any order.
 * @example `avgPool2d(x, { poolSize: 3, strides: 1, padding: 'same' })` keeps height and width
 */
export const avgPool2d = (x: Tensor, options: Pool2dOptions = {}): Tensor => avgPool2dOp([x], options);

/**
 * The gradient of `avgPool2d` on an input of shape `inputShape` for an output gradient `dy`: each window's
 * gradient shared equally among its real cells. Differentiable (its VJP is avgPool2d).
 */
export const avgPool2dBackward = (dy: Tensor, inputShape: Shape, options: Pool2dOptions = {}): Tensor =>
  avgPool2dBackwardOp([dy], { inputShape: inputShape.slice(), options });
