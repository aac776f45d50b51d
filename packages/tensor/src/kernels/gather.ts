// Indexing along an axis: gather (NumPy's take, tf.gather) and its adjoint scatterAdd, gather's gradient.
import { allocate } from '../dtype.js';
import { type Shape, checkShape, formatShape, normalizeAxis, shapesEqual } from '../shape.js';
import { copyToContiguous } from '../strided.js';
import { Tensor } from '../tensor.js';

/** What gather and scatterAdd accept as indices: a tensor of integer values, a plain array or an Int32Array. */
export type GatherIndices = Tensor | readonly number[] | Int32Array;

/** The indices as a flat Int32Array with their shape, each checked to be an integer in [0, n). */
function readIndices(op: string, indices: GatherIndices, n: number, axis: number): { idx: Int32Array; shape: Shape } {
  let values: ArrayLike<number>;
  let shape: Shape;
  if (indices instanceof Tensor) {
    values = indices.toTypedArray();
    shape = indices.shape;
  } else if (indices instanceof Int32Array) {
    // already integers: only the range needs checking, and the array can be read as it is
    for (let k = 0; k < indices.length; k++) if (indices[k] < 0 || indices[k] >= n) return readIndices(op, Array.from(indices), n, axis);
    return { idx: indices, shape: [indices.length] };
  } else if (Array.isArray(indices)) {
    values = indices;
    shape = [indices.length];
  } else {
    throw new Error(`${op}: indices must be a Tensor, an array of integers or an Int32Array, got ${String(indices)}`);
  }
  const idx = new Int32Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) {
      const why = typeof v === 'number' && Number.isInteger(v) && v < 0 ? ' (negative indices are not allowed)' : '';
      const valid = n === 0 ? `axis ${axis} has length 0, so no index is valid` : `valid indices are integers 0..${n - 1}`;
      throw new Error(`${op}: index ${String(v)} at position ${k} is out of range for axis ${axis} of length ${n}${why}; ${valid}`);
    }
    idx[k] = v;
  }
  return { idx, shape };
}

/** Product of `shape[from .. to)`. */
function prod(shape: Shape, from: number, to: number): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= shape[i];
  return p;
}

/**
 * Takes the slices of `x` at `indices` along `axis` (NumPy's `take`, `tf.gather`):
 * `out[..., k, ...] = x[..., indices[k], ...]`, of shape `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.
 *
 * Indices are integers in [0, x.shape[axis]) given as a tensor (whose float values must be whole
 * numbers; its shape goes into the result), a plain array or an Int32Array (one axis each). Negative
 * indices are errors, not counted from the end. The result is a new contiguous tensor.
 *
 * @throws Error naming the index, its position and the valid range for a negative, fractional or too-large index.
 * @example
 * ```ts
 * gather(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]);    // [[5, 6], [1, 2]]
 * gather(tensor([[1, 2], [3, 4]]), tensor([[1, 1]]), 1); // [[[2, 2]], [[4, 4]]], shape [2, 1, 2]
 * ```
 */
export function gather(x: Tensor, indices: GatherIndices, axis = 0): Tensor {
  const a = normalizeAxis(axis, x.rank, 'gather');
  const n = x.shape[a];
  const { idx, shape: idxShape } = readIndices('gather', indices, n, a);
  const outShape = [...x.shape.slice(0, a), ...idxShape, ...x.shape.slice(a + 1)];
  const outer = prod(x.shape, 0, a);
  const inner = prod(x.shape, a + 1, x.rank);
  const count = idx.length;
  const out = allocate(x.dtype, outer * count * inner);
  if (out.length === 0) return new Tensor(out, outShape);
  const src = x.isContiguous ? x.data : copyToContiguous(x);
  const base = x.isContiguous ? x.offset : 0;
  let o = 0;
  for (let p = 0; p < outer; p++) {
    const block = base + p * n * inner;
    for (let k = 0; k < count; k++) {
      const from = block + idx[k] * inner;
      for (let i = 0; i < inner; i++) out[o++] = src[from + i];
    }
  }
  return new Tensor(out, outShape);
}

/**
 * The adjoint of {@link gather}: a zero tensor of `shape` into which each slice of `updates` is added
 * at its index along `axis`, `out[..., indices[k], ...] += updates[..., k, ...]`; repeated indices accumulate.
 *
 * `updates` must have shape `shape[:axis] + indices.shape + shape[axis+1:]` (what gather from a tensor
 * of `shape` returns); the result has its dtype. Indices follow gather's rules.
 *
 * @throws Error for a bad shape or index, or `updates` of the wrong shape.
 * @example
 * ```ts
 * scatterAdd([3], [0, 2, 0], tensor([1, 2, 3])); // [4, 0, 2]
 * ```
 */
export function scatterAdd(shape: Shape, indices: GatherIndices, updates: Tensor, axis = 0): Tensor {
  const dims = checkShape(shape, 'scatterAdd');
  const a = normalizeAxis(axis, dims.length, 'scatterAdd');
  const n = dims[a];
  const { idx, shape: idxShape } = readIndices('scatterAdd', indices, n, a);
  const expected = [...dims.slice(0, a), ...idxShape, ...dims.slice(a + 1)];
  if (!shapesEqual(updates.shape, expected)) {
    throw new Error(
      `scatterAdd: updates have shape ${formatShape(updates.shape)}, but a result of shape ${formatShape(dims)} ` +
        `with indices of shape ${formatShape(idxShape)} along axis ${a} needs updates of shape ${formatShape(expected)}`,
    );
  }
  const outer = prod(dims, 0, a);
  const inner = prod(dims, a + 1, dims.length);
  const count = idx.length;
  const out = allocate(updates.dtype, outer * n * inner);
  if (updates.size === 0) return new Tensor(out, dims);
  const upd = updates.isContiguous ? updates.data : copyToContiguous(updates);
  let u = updates.isContiguous ? updates.offset : 0;
  for (let p = 0; p < outer; p++) {
    const block = p * n * inner;
    for (let k = 0; k < count; k++) {
      const to = block + idx[k] * inner;
      for (let i = 0; i < inner; i++) out[to + i] += upd[u++];
    }
  }
  return new Tensor(out, dims);
}
