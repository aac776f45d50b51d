// Repetition: tile copies a whole tensor reps[i] times along each axis i.
import { allocate } from '../dtype.js';
import { contiguousStrides, formatShape } from '../shape.js';
import { copyInto } from '../strided.js';
import { Tensor } from '../tensor.js';

/**
 * Repeats `x` `reps[i]` times along each axis i (`tf.tile`): the result has shape `x.shape[i] * reps[i]`
 * and `out[..., j, ...] = x[..., j mod x.shape[i], ...]`.
 *
 * TensorFlow's rule, stricter than NumPy's: `reps` needs exactly one entry per axis of `x` (NumPy would
 * prepend ones to the shorter of the two); reshape or expandDims first to tile along new axes. Each
 * entry is a non-negative integer (0 gives an empty axis). The result is a new contiguous tensor.
 *
 * @throws Error when `reps` has the wrong length or an entry that is not a non-negative integer.
 * @example
 * ```ts
 * tile(tensor([[1, 2]]), [2, 2]); // [[1, 2, 1, 2], [1, 2, 1, 2]]
 * ```
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  if (!Array.isArray(reps) || reps.length !== x.rank) {
    const got = Array.isArray(reps) ? `[${reps.join(', ')}] (${reps.length} entries)` : String(reps);
    throw new Error(
      `tile: reps ${got} must have one entry per axis of shape ${formatShape(x.shape)} (${x.rank}); ` +
        'use reshape or expandDims to add axes first',
    );
  }
  for (let i = 0; i < reps.length; i++) {
    if (typeof reps[i] !== 'number' || !Number.isInteger(reps[i]) || reps[i] < 0) {
      throw new Error(`tile: reps[${i}] is ${String(reps[i])}; repetitions must be non-negative integers`);
    }
  }
  const shape = x.shape.map((d, i) => d * reps[i]);
  let size = 1;
  for (const d of shape) size *= d;
  const out = allocate(x.dtype, size);
  if (size === 0) return new Tensor(out, shape);
  // View the result as [reps0, d0, reps1, d1, ...] and copy x, broadcast over the reps axes (stride 0), into it.
  const strides = contiguousStrides(shape);
  const dstShape: number[] = [];
  const dstStrides: number[] = [];
  const srcStrides: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    dstShape.push(reps[i], x.shape[i]);
    dstStrides.push(x.shape[i] * strides[i], strides[i]);
    srcStrides.push(0, x.strides[i]);
  }
  const src = { data: x.data, shape: dstShape, strides: srcStrides, offset: x.offset, size, dtype: x.dtype };
  copyInto(out, dstShape, dstStrides, 0, src);
  return new Tensor(out, shape);
}
