// Constant padding: a border of a fixed value around a tensor, given per axis as [before, after].
import { allocate } from '../dtype.js';
import { contiguousStrides, formatShape } from '../shape.js';
import { copyInto } from '../strided.js';
import { Tensor } from '../tensor.js';

/**
 * Surrounds `x` with `constantValue`: axis i gains `paddings[i][0]` entries before and `paddings[i][1]` after,
 * so the result has shape `before + x.shape[i] + after` per axis and `out[b0 + i0, b1 + i1, ...] = x[i0, i1, ...]`.
 *
 * There is one [before, after] pair per axis, each a non-negative integer (a scalar takes `[]` and is copied).
 * The result is a new contiguous tensor of `x`'s dtype.
 *
 * @throws Error when the number of pairs differs from the rank or an amount is not a non-negative integer.
 * @example
 * ```ts
 * pad(tensor([[1, 2]]), [[1, 0], [0, 2]]); // [[0, 0, 0, 0], [1, 2, 0, 0]]
 * pad(tensor([1, 2]), [[1, 1]], -1);       // [-1, 1, 2, -1]
 * ```
 */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], constantValue = 0): Tensor {
  if (!Array.isArray(paddings) || paddings.length !== x.rank) {
    const got = Array.isArray(paddings) ? `${paddings.length} pairs` : String(paddings);
    throw new Error(`pad: needs one [before, after] pair per axis of shape ${formatShape(x.shape)} (${x.rank}), got ${got}`);
  }
  const shape = new Array<number>(x.rank);
  for (let i = 0; i < x.rank; i++) {
    const p = paddings[i];
    const ok = Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0);
    if (!ok) {
      const shown = Array.isArray(p) ? `[${p.join(', ')}]` : String(p);
      throw new Error(`pad: padding ${shown} for axis ${i} must be a pair [before, after] of non-negative integers`);
    }
    shape[i] = p[0] + x.shape[i] + p[1];
  }
  let size = 1;
  for (const d of shape) size *= d;
  const out = allocate(x.dtype, size);
  if (constantValue !== 0 || Object.is(constantValue, -0)) out.fill(constantValue);
  const strides = contiguousStrides(shape);
  let offset = 0;
  for (let i = 0; i < x.rank; i++) offset += paddings[i][0] * strides[i];
  copyInto(out, x.shape, strides, offset, x);
  return new Tensor(out, shape);
}
