// tile: repeat a tensor along each axis; its VJP folds the gradient back onto one copy by summing the copies.
import { type Tensor, kernels } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';
import { sum } from './reduce.js';
import { reshape } from './shape.js';

const tileOp = defineOp<readonly number[]>('tile', {
  forward: ([x], reps) => kernels.tile(x, reps),
  // g of shape [r0·d0, r1·d1, ...] read as [r0, d0, r1, d1, ...]: sum over the rep axes 0, 2, 4, ...
  vjp: (g, { inputs: [x], attrs: reps }) => {
    const split = x.shape.flatMap((d, i) => [reps[i], d]);
    const repAxes = x.shape.map((_, i) => 2 * i);
    return [reshape(sum(reshape(g, split), repAxes), x.shape)];
  },
});

/**
 * Repeats `x` `reps[i]` times along each axis i (`tf.tile`; one entry per axis).
 * The gradient of each element is the sum of the gradients of its copies.
 * @example `tile(tensor([[1, 2]]), [2, 2])` is [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export const tile = (x: Tensor, reps: readonly number[]): Tensor => tileOp([x], Array.isArray(reps) ? reps.slice() : reps); // the kernel validates
