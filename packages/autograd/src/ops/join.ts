// Joining and splitting along an axis: concat and stack copy (their VJPs cut the gradient back into pieces),
// split is a list of slices (so it needs no VJP of its own).
import { type Tensor, kernels, normalizeAxis } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';
import { reshape, slice } from './shape.js';

/** The block of `g` that piece `i` of a join occupies along `axis`, starting at `start` with extent `size`. */
function piece(g: Tensor, axis: number, start: number, size: number): Tensor {
  const begin = g.shape.map((_, a) => (a === axis ? start : 0));
  const extent = g.shape.map((d, a) => (a === axis ? size : d));
  return slice(g, begin, extent);
}

const concatOp = defineOp<number>('concat', {
  forward: (tensors, axis) => kernels.concat(tensors, axis),
  // each input gets the block of g where it was copied
  vjp: (g, { inputs, attrs: axis, needs }) => {
    let start = 0;
    return inputs.map((t, i) => {
      const size = t.shape[axis];
      start += size;
      return needs[i] ? piece(g, axis, start - size, size) : null;
    });
  },
});

const stackOp = defineOp<number>('stack', {
  forward: (tensors, axis) => kernels.stack(tensors, axis),
  // input i gets g[..., i, ...] (its index at `axis`), with that axis removed
  vjp: (g, { inputs, attrs: axis, needs }) => inputs.map((t, i) => (needs[i] ? reshape(piece(g, axis, i, 1), t.shape) : null)),
});

/**
 * Joins tensors along an existing axis (default 0); they must agree on every other dimension.
 * @example `concat([tensor([[1, 2]]), tensor([[3, 4]])], 0)` is [[1, 2], [3, 4]]
 */
export const concat = (tensors: readonly Tensor[], axis = 0): Tensor => {
  if (!Array.isArray(tensors) || tensors.length === 0) return kernels.concat(tensors, axis); // throws the kernel's error
  return concatOp(tensors, normalizeAxis(axis, tensors[0].rank, 'concat'));
};

/**
 * Joins tensors of one shape along a new axis (default 0): `stack(ts, axis)[..., i, ...]` is `ts[i]`.
 * @example `stack([tensor([1, 2]), tensor([3, 4])], 1)` is [[1, 3], [2, 4]]
 */
export const stack = (tensors: readonly Tensor[], axis = 0): Tensor => {
  if (!Array.isArray(tensors) || tensors.length === 0) return kernels.stack(tensors, axis); // throws the kernel's error
  return stackOp(tensors, normalizeAxis(axis, tensors[0].rank + 1, 'stack'));
};

/**
 * Cuts `x` along `axis` (default 0) into `numOrSizes` equal pieces or pieces of the given sizes (one may be -1:
 * the rest). Each piece is a differentiable slice, so gradients flow back into the right block of `x`.
 * @example `split(tensor([1, 2, 3, 4, 5, 6]), [1, -1, 2])` is [[1], [2, 3, 4], [5, 6]]
 */
export const split = (x: Tensor, numOrSizes: number | readonly number[], axis = 0): Tensor[] => {
  const a = normalizeAxis(axis, x.rank, 'split');
  const sizes = kernels.split(x, numOrSizes, a).map((p) => p.shape[a]); // validates and resolves -1
  let start = 0;
  return sizes.map((size) => {
    start += size;
    return piece(x, a, start - size, size);
  });
};
