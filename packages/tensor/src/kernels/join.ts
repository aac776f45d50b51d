// Joining and splitting along an axis: concat and stack copy into a new tensor, split returns views.
import { allocate } from '../dtype.js';
import { contiguousStrides, formatShape, normalizeAxis } from '../shape.js';
import { copyInto } from '../strided.js';
import { Tensor } from '../tensor.js';
import { expandDims, slice } from './views.js';

/** Checks that `tensors` is a non-empty list of tensors of one dtype and returns the first. */
function checkList(op: string, tensors: readonly Tensor[]): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new Error(`${op}: needs a non-empty list of tensors, got ${Array.isArray(tensors) ? 'an empty list' : String(tensors)}`);
  }
  const first = tensors[0];
  for (let i = 1; i < tensors.length; i++) {
    if (tensors[i].dtype !== first.dtype) {
      throw new Error(
        `${op}: tensor ${i} has dtype ${tensors[i].dtype} but tensor 0 has ${first.dtype}; ` +
          'all tensors must share a dtype (cast one with cast(x, dtype) first)',
      );
    }
  }
  return first;
}

/** Copies `tensors` (already checked) one after another along `axis` into a new contiguous tensor. */
function joinAlong(tensors: readonly Tensor[], axis: number): Tensor {
  const first = tensors[0];
  const shape = [...first.shape];
  shape[axis] = 0;
  for (const t of tensors) shape[axis] += t.shape[axis];
  let size = 1;
  for (const d of shape) size *= d;
  const out = allocate(first.dtype, size);
  const strides = contiguousStrides(shape);
  let offset = 0;
  for (const t of tensors) {
    copyInto(out, t.shape, strides, offset, t);
    offset += t.shape[axis] * strides[axis];
  }
  return new Tensor(out, shape);
}

/**
 * Joins tensors along an existing axis: the result's `axis` is the sum of theirs; the other dimensions must agree.
 *
 * The result is a new contiguous tensor (even for a single input). Negative `axis` counts from the end.
 *
 * @throws Error for an empty list, scalars, or tensors whose ranks, other dimensions or dtypes differ.
 * @example
 * ```ts
 * concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]); // [[1, 2], [3, 4], [5, 6]], shape [3, 2]
 * concat([tensor([[1], [2]]), tensor([[3], [4]])], 1);   // [[1, 3], [2, 4]]
 * ```
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const first = checkList('concat', tensors);
  if (first.rank === 0) throw new Error('concat: cannot concatenate scalars (shape []); use stack to make a new axis');
  const a = normalizeAxis(axis, first.rank, 'concat');
  for (let i = 1; i < tensors.length; i++) {
    const t = tensors[i];
    if (t.rank !== first.rank) {
      throw new Error(
        `concat: tensor ${i} has shape ${formatShape(t.shape)} (rank ${t.rank}) but tensor 0 has ` +
          `${formatShape(first.shape)} (rank ${first.rank}); all must have the same rank`,
      );
    }
    for (let k = 0; k < first.rank; k++) {
      if (k !== a && t.shape[k] !== first.shape[k]) {
        throw new Error(
          `concat: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has ${formatShape(first.shape)}; ` +
            `they may differ only along axis ${a} (here they differ along axis ${k})`,
        );
      }
    }
  }
  return joinAlong(tensors, a);
}

/**
 * Joins tensors of one shape along a new axis: `stack(ts, axis)[..., i, ...]` (i at position `axis`) is `ts[i]`.
 *
 * `axis` may be 0 .. rank (or negative, counting from the end of the result's rank + 1 axes).
 *
 * @throws Error for an empty list or tensors whose shapes or dtypes differ.
 * @example
 * ```ts
 * stack([tensor([1, 2]), tensor([3, 4])]);    // [[1, 2], [3, 4]], shape [2, 2]
 * stack([tensor([1, 2]), tensor([3, 4])], 1); // [[1, 3], [2, 4]]
 * ```
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  const first = checkList('stack', tensors);
  const a = normalizeAxis(axis, first.rank + 1, 'stack');
  for (let i = 1; i < tensors.length; i++) {
    const t = tensors[i];
    if (t.rank !== first.rank || t.shape.some((d, k) => d !== first.shape[k])) {
      throw new Error(
        `stack: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has ${formatShape(first.shape)}; ` +
          'all tensors must have the same shape',
      );
    }
  }
  return joinAlong(tensors.map((t) => expandDims(t, a)), a);
}

/**
 * Cuts `x` along `axis` into pieces, as views of its data (like `slice`): either `numOrSizes` equal
 * pieces, or pieces of the given sizes, which must add up to the axis length (one size may be -1: the rest).
 *
 * @throws Error when the count is not a positive integer dividing the axis length, or the sizes are
 *   not non-negative integers (one -1 allowed) adding up to it.
 * @example
 * ```ts
 * split(tensor([1, 2, 3, 4, 5, 6]), 3);          // [[1, 2], [3, 4], [5, 6]]
 * split(tensor([1, 2, 3, 4, 5, 6]), [1, -1, 2]); // [[1], [2, 3, 4], [5, 6]]
 * ```
 */
export function split(x: Tensor, numOrSizes: number | readonly number[], axis = 0): Tensor[] {
  const a = normalizeAxis(axis, x.rank, 'split');
  const n = x.shape[a];
  const sizes = typeof numOrSizes === 'number' ? equalSizes(numOrSizes, n, a, x) : resolveSizes(numOrSizes, n, a, x);
  const begin = new Array<number>(x.rank).fill(0);
  const extent = [...x.shape];
  const pieces: Tensor[] = [];
  for (const s of sizes) {
    extent[a] = s;
    pieces.push(slice(x, begin, extent));
    begin[a] += s;
  }
  return pieces;
}

function equalSizes(num: number, n: number, axis: number, x: Tensor): number[] {
  if (!Number.isInteger(num) || num <= 0) {
    throw new Error(`split: the number of pieces must be a positive integer, got ${num}`);
  }
  if (n % num !== 0) {
    throw new Error(
      `split: axis ${axis} of shape ${formatShape(x.shape)} has length ${n}, which ${num} does not divide; ` +
        'pass a list of sizes for unequal pieces',
    );
  }
  return new Array<number>(num).fill(n / num);
}

function resolveSizes(list: readonly number[], n: number, axis: number, x: Tensor): number[] {
  const shown = `[${list.join(', ')}]`;
  if (list.length === 0) throw new Error('split: the list of sizes is empty; give at least one size');
  let free = -1;
  let known = 0;
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s === -1 && free === -1) free = i;
    else if (s === -1) throw new Error(`split: sizes ${shown} contain -1 more than once; at most one size can be inferred`);
    else if (!Number.isInteger(s) || s < 0) {
      throw new Error(`split: size ${s} at position ${i} of ${shown} must be a non-negative integer (or -1, once)`);
    } else known += s;
  }
  const sizes = [...list];
  if (free >= 0) {
    if (known > n) {
      throw new Error(`split: sizes ${shown} already add up to ${known}, more than the length ${n} of axis ${axis} of ${formatShape(x.shape)}`);
    }
    sizes[free] = n - known;
  } else if (known !== n) {
    throw new Error(`split: sizes ${shown} add up to ${known}, but axis ${axis} of shape ${formatShape(x.shape)} has length ${n}`);
  }
  return sizes;
}
