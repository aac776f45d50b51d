// Shape ops: views and copies that move elements around without changing them; their VJPs move the gradient back.
import { type Shape, type Tensor, kernels, normalizeAxis } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';
import { sumToShape } from '../sum-to-shape.js';

const reshapeOp = defineOp<Shape>('reshape', {
  forward: ([x], shape) => kernels.reshape(x, shape),
  vjp: (g, { inputs: [x] }) => [reshape(g, x.shape)],
});

const transposeOp = defineOp<number[]>('transpose', {
  forward: ([x], perm) => kernels.transpose(x, perm),
  vjp: (g, { attrs: perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [transpose(g, inverse)];
  },
});

const broadcastToOp = defineOp<Shape>('broadcastTo', {
  forward: ([x], shape) => kernels.broadcastTo(x, shape),
  vjp: (g, { inputs: [x] }) => [sumToShape(g, x.shape)],
});

const sliceOp = defineOp<{ begin: number[]; size: number[] }>('slice', {
  forward: ([x], { begin, size }) => kernels.slice(x, begin, size),
  // the gradient of a block is the upstream gradient padded with zeros back to the full shape
  vjp: (g, { inputs: [x], attrs: { begin, size } }) => [pad(g, begin.map((b, i) => [b, x.shape[i] - b - size[i]] as [number, number]))],
});

const padOp = defineOp<{ paddings: [number, number][]; value: number }>('pad', {
  forward: ([x], { paddings, value }) => kernels.pad(x, paddings, value),
  vjp: (g, { inputs: [x], attrs: { paddings } }) => [slice(g, paddings.map((p) => p[0]), x.shape)],
});

/**
 * The same elements in a new shape (one dimension may be -1). A view when `x` is contiguous.
 * @example `reshape(arange(6), [2, 3])`
 */
export const reshape = (x: Tensor, shape: Shape): Tensor => reshapeOp([x], kernels.resolveReshape(x.shape, shape));

/**
 * Permutes the axes (default: reverses them). A view.
 * @example `transpose(tensor([[1, 2, 3]]))` has shape [3, 1]
 */
export const transpose = (x: Tensor, perm?: readonly number[]): Tensor =>
  transposeOp([x], perm ? perm.map((a) => normalizeAxis(a, x.rank, 'transpose')) : x.shape.map((_, i) => x.rank - 1 - i));

/** Inserts an axis of length 1 at `axis`. A view. */
export const expandDims = (x: Tensor, axis: number): Tensor => {
  const a = normalizeAxis(axis, x.rank + 1, 'expandDims');
  return reshapeOp([x], [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
};

/** Removes axes of length 1 (the given ones, or all). A view. */
export const squeeze = (x: Tensor, axes?: number | readonly number[]): Tensor => reshapeOp([x], kernels.squeeze(x, axes).shape);

/** Stretches `x` to `shape` by broadcasting (a stride-0 view); the gradient is summed back. */
export const broadcastTo = (x: Tensor, shape: Shape): Tensor => broadcastToOp([x], shape);

/**
 * The block starting at `begin` with extent `size` (-1: to the end of the axis). A view.
 * @example `slice(x, [0, 1], [2, -1])`
 */
export const slice = (x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor => {
  const view = kernels.slice(x, begin, size); // validates, and resolves negatives and -1
  const start = x.shape.map((d, i) => {
    const b = begin[i] ?? 0;
    return b < 0 ? b + d : b;
  });
  return sliceOp([x], { begin: start, size: view.shape.slice() });
};

/**
 * Pads with `value` (default 0): `paddings[i] = [before, after]` elements on axis i.
 * @example `pad(tensor([1, 2]), [[1, 2]])` is [0, 1, 2, 0, 0]
 */
export const pad = (x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor =>
  padOp([x], { paddings: paddings.map((p) => [p[0], p[1]]), value });

