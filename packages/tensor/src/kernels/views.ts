// Shape kernels that return views of the same data: transpose, reshape, slice, broadcast, expand, squeeze.
// None of them copies, except reshape of a non-contiguous view whose axes cannot be regrouped in place.
import { type Shape, broadcastShapes, checkShape, formatShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { copyToContiguous } from '../strided.js';
import { broadcastStrides } from './iterate.js';

/**
 * Permutes the axes: axis i of the result is axis `perm[i]` of `x`. Without `perm`, reverses them (a matrix transpose).
 * A view: no data moves.
 * @throws Error when `perm` is not a permutation of 0 .. rank-1.
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const rank = x.rank;
  const p = perm ? perm.map((a) => normalizeAxis(a, rank, 'transpose')) : Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const seen = new Set(p);
  if (p.length !== rank || seen.size !== rank) {
    throw new Error(`transpose: perm [${perm?.join(', ')}] is not a permutation of the ${rank} axes of shape ${formatShape(x.shape)}`);
  }
  return new Tensor(x.data, p.map((a) => x.shape[a]), p.map((a) => x.strides[a]), x.offset);
}

/**
 * The same elements in a new shape (row-major order); one dimension may be -1 and is inferred.
 * A view when `x` is contiguous or its strides allow one (as NumPy's reshape), otherwise a copy.
 * @throws Error when the sizes differ or more than one dimension is -1.
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const dims = resolveReshape(x.shape, shape);
  if (x.isContiguous) return new Tensor(x.data, dims, undefined, x.offset);
  const strides = x.size === 0 ? null : reshapedStrides(x.shape, x.strides, dims);
  return strides === null ? new Tensor(copyToContiguous(x), dims) : new Tensor(x.data, dims, strides, x.offset);
}

/**
 * Strides that view a strided layout in a new shape of the same size without copying, or null when none do
 * (NumPy's `_attempt_nocopy_reshape`): runs of old and new axes with equal products are matched, and each run of
 * old axes must step through memory as one axis. Adding or removing axes of length 1 always works, also on
 * broadcast (stride 0) views; merging axes needs them laid out back to back.
 */
function reshapedStrides(from: Shape, fromStrides: Shape, to: Shape): number[] | null {
  const od: number[] = [];
  const os: number[] = [];
  for (let i = 0; i < from.length; i++) {
    if (from[i] === 1) continue;
    od.push(from[i]);
    os.push(fromStrides[i]);
  }
  const out = new Array<number>(to.length).fill(0);
  let oi = 0;
  let oj = 1;
  let ni = 0;
  let nj = 1;
  while (ni < to.length && oi < od.length) {
    let np = to[ni];
    let op = od[oi];
    while (np !== op) {
      if (np < op) np *= to[nj++];
      else op *= od[oj++];
    }
    for (let k = oi; k < oj - 1; k++) if (os[k] !== od[k + 1] * os[k + 1]) return null;
    out[nj - 1] = os[oj - 1];
    for (let k = nj - 1; k > ni; k--) out[k - 1] = out[k] * to[k];
    ni = nj++;
    oi = oj++;
  }
  for (let k = ni; k < to.length; k++) out[k] = ni > 0 ? out[ni - 1] : 1; // trailing axes of length 1
  return out;
}

/** The target shape of a reshape with any -1 filled in. */
export function resolveReshape(from: Shape, to: Shape): number[] {
  const size = sizeOf(from);
  let inferred = -1;
  for (let i = 0; i < to.length; i++) {
    if (to[i] !== -1) continue;
    if (inferred >= 0) throw new Error(`reshape: only one dimension can be -1, got ${formatShape(to)}`);
    inferred = i;
  }
  const known = checkShape(inferred < 0 ? to : to.map((d) => (d === -1 ? 1 : d)), 'reshape');
  const rest = sizeOf(known);
  if (inferred >= 0) {
    if (rest === 0 || size % rest !== 0) {
      throw new Error(`reshape: cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(to)}`);
    }
    known[inferred] = size / rest;
  } else if (rest !== size) {
    throw new Error(
      `reshape: cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(to)} (${rest} elements); the sizes must match`,
    );
  }
  return known;
}

/** Inserts an axis of length 1 at `axis` (which may be rank, or negative counting from the end of the result). A view. */
export function expandDims(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, x.rank + 1, 'expandDims');
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(a, 0, 1);
  strides.splice(a, 0, 0);
  return new Tensor(x.data, shape, strides, x.offset);
}

/**
 * Removes axes of length 1: the given ones, or all of them. A view.
 * @throws Error when a given axis is not of length 1.
 */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  const drop = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(axes, x.rank, 'squeeze');
  for (const a of drop) {
    if (x.shape[a] !== 1) throw new Error(`squeeze: axis ${a} of shape ${formatShape(x.shape)} has length ${x.shape[a]}, not 1`);
  }
  const keep = x.shape.map((_, i) => i).filter((i) => !drop.includes(i));
  return new Tensor(x.data, keep.map((i) => x.shape[i]), keep.map((i) => x.strides[i]), x.offset);
}

/**
 * A view of `x` stretched to `shape` by NumPy's broadcasting rule (stride 0 along stretched axes).
 * @throws Error when `x` does not broadcast to `shape`.
 */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const target = checkShape(shape, 'broadcastTo');
  if (shapesEqual(x.shape, target)) return x;
  const joint = broadcastShapes(x.shape, target, 'broadcastTo');
  if (!shapesEqual(joint, target)) {
    throw new Error(`broadcastTo: shape ${formatShape(x.shape)} cannot be broadcast to ${formatShape(target)}`);
  }
  return new Tensor(x.data, target, broadcastStrides(x.shape, x.strides, target), x.offset);
}

/**
 * The block of `x` starting at `begin` with extent `size` per axis (-1: to the end), as a view.
 * `begin` entries may be negative (counted from the end); missing trailing entries take whole axes.
 * @throws Error when the block does not lie within `x`.
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  if (begin.length > x.rank || (size && size.length > x.rank)) {
    throw new Error(`slice: begin [${begin.join(', ')}] and size [${size?.join(', ') ?? ''}] have more entries than the rank ${x.rank} of ${formatShape(x.shape)}`);
  }
  let offset = x.offset;
  const shape = new Array<number>(x.rank);
  for (let i = 0; i < x.rank; i++) {
    const d = x.shape[i];
    const b0 = begin[i] ?? 0;
    const b = b0 < 0 ? b0 + d : b0;
    const s0 = size?.[i] ?? -1;
    const s = s0 === -1 ? d - b : s0;
    if (!Number.isInteger(b) || !Number.isInteger(s) || b < 0 || s < 0 || b + s > d) {
      throw new Error(
        `slice: begin ${b0} with size ${s0} does not fit axis ${i} of length ${d} (shape ${formatShape(x.shape)}); ` +
          'need 0 <= begin, begin + size <= length',
      );
    }
    offset += b * x.strides[i];
    shape[i] = s;
  }
  return new Tensor(x.data, shape, x.strides, shape.includes(0) ? 0 : offset);
}

/**
 * Every `step`-th element along each axis, starting at `begin` and stopping before `end` (Python's
 * `x[b:e:s, ...]`; negative steps walk backwards). A view.
 */
export function stridedSlice(x: Tensor, begin: readonly number[], end: readonly number[], steps?: readonly number[]): Tensor {
  let offset = x.offset;
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const d = x.shape[i];
    const st = steps?.[i] ?? 1;
    if (!Number.isInteger(st) || st === 0) throw new Error(`stridedSlice: step ${st} on axis ${i} must be a non-zero integer`);
    const clampIndex = (v: number | undefined, dflt: number): number => {
      if (v === undefined) return dflt;
      const w = v < 0 ? v + d : v;
      return st > 0 ? Math.min(Math.max(w, 0), d) : Math.min(Math.max(w, -1), d - 1);
    };
    const b = clampIndex(begin[i], st > 0 ? 0 : d - 1);
    const e = clampIndex(end[i], st > 0 ? d : -1);
    const n = Math.max(0, Math.ceil((e - b) / st));
    if (n > 0) offset += b * x.strides[i];
    shape.push(n);
    strides.push(x.strides[i] * st);
  }
  return new Tensor(x.data, shape, strides, shape.includes(0) ? 0 : offset);
}
