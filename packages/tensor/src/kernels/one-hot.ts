// One-hot encoding: each integer index becomes a row of `depth` values, on at the index and off elsewhere.
import { type DType, DEFAULT_DTYPE, allocate, checkDType } from '../dtype.js';
import { type Shape, formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link oneHot}. */
export interface OneHotOptions {
  /** The value at the index; default 1. */
  onValue?: number;
  /** The value everywhere else; default 0. */
  offValue?: number;
  /** Element type of the result; default float32. */
  dtype?: DType;
}

/**
 * Encodes integer indices as one-hot rows: `out[..., j] = (j === indices[...]) ? onValue : offValue`,
 * of shape `indices.shape + [depth]`.
 *
 * An index outside [0, depth), negative ones included, gives a row of `offValue` only (TensorFlow's
 * `tf.one_hot` behaves so; it is no error). The indices are a tensor whose values must be whole numbers
 * or a plain array (one axis).
 *
 * @throws Error for a non-integer index, a depth that is not a non-negative integer, or a bad dtype.
 * @example
 * ```ts
 * oneHot([2, 0, 5], 3); // [[0, 0, 1], [1, 0, 0], [0, 0, 0]]
 * ```
 */
export function oneHot(indices: Tensor | readonly number[], depth: number, options?: OneHotOptions): Tensor {
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`oneHot: depth must be a non-negative integer, got ${depth}`);
  const dtype = checkDType(options?.dtype ?? DEFAULT_DTYPE, 'oneHot');
  const on = options?.onValue ?? 1;
  const off = options?.offValue ?? 0;
  let values: ArrayLike<number>;
  let shape: Shape;
  if (indices instanceof Tensor) {
    values = indices.toTypedArray();
    shape = indices.shape;
  } else if (Array.isArray(indices)) {
    values = indices;
    shape = [indices.length];
  } else {
    throw new Error(`oneHot: indices must be a Tensor or an array of integers, got ${String(indices)}`);
  }
  const out = allocate(dtype, values.length * depth);
  if (off !== 0 || Object.is(off, -0)) out.fill(off);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new Error(`oneHot: index ${String(v)} at position ${k} of indices ${formatShape(shape)} is not an integer`);
    }
    if (v >= 0 && v < depth) out[k * depth + v] = on;
  }
  return new Tensor(out, [...shape, depth]);
}
