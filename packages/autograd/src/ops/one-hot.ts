// oneHot: integer indices to one-hot rows. Not differentiable: the indices are integers and the result a constant.
import { Tensor, kernels } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';

/** Options of {@link oneHot}: onValue (default 1), offValue (default 0), dtype (default float32). */
export type OneHotOptions = kernels.OneHotOptions;

const oneHotOp = defineOp<{ depth: number; options?: OneHotOptions }>('oneHot', {
  forward: ([indices], { depth, options }) => kernels.oneHot(indices, depth, options),
  vjp: null,
});

/**
 * Encodes integer indices as one-hot rows of length `depth`: `out[..., j] = j === indices[...] ? onValue : offValue`.
 * Not differentiable (`vjp: null`): asking for a gradient of its output is an error naming oneHot.
 * @example `oneHot([2, 0], 3)` is [[0, 0, 1], [1, 0, 0]]
 */
export const oneHot = (indices: Tensor | readonly number[], depth: number, options?: OneHotOptions): Tensor =>
  indices instanceof Tensor ? oneHotOp([indices], { depth, options }) : kernels.oneHot(indices, depth, options);
