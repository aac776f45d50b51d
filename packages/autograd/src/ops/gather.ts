// Indexing along an axis: gather and its adjoint scatterAdd, each the other's VJP (the indices are constants).
import { type Shape, type Tensor, kernels, normalizeAxis } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';

/** What gather and scatterAdd accept as indices: a tensor of whole numbers, a plain array or an Int32Array. */
export type GatherIndices = kernels.GatherIndices;

interface GatherAttrs {
  readonly indices: GatherIndices;
  readonly axis: number;
}

const gatherOp = defineOp<GatherAttrs>('gather', {
  forward: ([x], { indices, axis }) => kernels.gather(x, indices, axis),
  // each gathered slice sends its gradient back to the row it came from; repeated indices accumulate
  vjp: (g, { inputs: [x], attrs: { indices, axis } }) => [scatterAdd(x.shape, indices, g, axis)],
});

const scatterAddOp = defineOp<GatherAttrs & { readonly shape: Shape }>('scatterAdd', {
  forward: ([updates], { shape, indices, axis }) => kernels.scatterAdd(shape, indices, updates, axis),
  // scatterAdd is linear in the updates and gather is its adjoint
  vjp: (g, { attrs: { indices, axis } }) => [gather(g, indices, axis)],
});

/**
 * Takes the slices of `x` at `indices` along `axis` (default 0), NumPy's `take`:
 * `out[..., k, ...] = x[..., indices[k], ...]`. Differentiable in `x`; the indices are constants.
 * @example `gather(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0])` is [[5, 6], [1, 2]]
 */
export const gather = (x: Tensor, indices: GatherIndices, axis = 0): Tensor =>
  gatherOp([x], { indices, axis: normalizeAxis(axis, x.rank, 'gather') });

/**
 * Adds each slice of `updates` into a zero tensor of `shape` at its index along `axis` (default 0):
 * `out[..., indices[k], ...] += updates[..., k, ...]`. The adjoint of {@link gather}; differentiable in `updates`.
 * @example `scatterAdd([3], [0, 2, 0], tensor([1, 2, 3]))` is [4, 0, 2]
 */
export const scatterAdd = (shape: Shape, indices: GatherIndices, updates: Tensor, axis = 0): Tensor =>
  scatterAddOp([updates], { shape: shape.slice(), indices, axis: normalizeAxis(axis, shape.length, 'scatterAdd') });
