// Elementwise selection and conversion: where (pick from two tensors by a condition), clip and cast.
import { type DType, checkDType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { type TernaryLoop, type UnaryLoop, checkSameDType, mapTernary, mapUnary } from './elementwise.js';

// out[o + i] = cond !== 0 ? a : b. NaN is nonzero, so a NaN condition picks `a` (NumPy's bool(nan) is True).
const whereLoop: TernaryLoop = (out, o, n, c, ci, cs, a, ai, as, b, bi, bs) => {
  for (let i = 0; i < n; i++, ci += cs, ai += as, bi += bs) out[o + i] = c[ci] !== 0 ? a[ai] : b[bi];
};

const copyLoop: UnaryLoop = (out, o, n, x, xi, xs) => {
  for (let i = 0; i < n; i++, xi += xs) out[o + i] = x[xi];
};

/**
 * Picks elementwise from `a` where `condition` is nonzero and from `b` where it is zero:
 * `out = condition ≠ 0 ? a : b`, with all three broadcast together by NumPy's rule.
 *
 * `a` and `b` must share a dtype, which the result has; `condition` may be float32 or float64
 * (a comparison's 0/1 output, typically). A NaN condition counts as nonzero and picks `a`.
 *
 * @throws Error when `a` and `b` differ in dtype or the three shapes do not broadcast together.
 * @example
 * ```ts
 * where(tensor([1, 0, 1]), tensor([1, 2, 3]), tensor(-1)); // [1, -1, 3]
 * ```
 */
export function where(condition: Tensor, a: Tensor, b: Tensor): Tensor {
  checkSameDType('where', a, b);
  return mapTernary('where', condition, a, b, whereLoop, a.dtype);
}

/**
 * Limits every element to [min, max]: `out = min(max(x, min), max)`; NaN elements stay NaN.
 *
 * The bounds are plain numbers (±Infinity leaves that side open); in a float32 tensor they are rounded
 * to float32 like every stored value.
 *
 * @throws Error when `min > max` or either bound is NaN.
 * @example
 * ```ts
 * clip(tensor([-2, 0.5, 3]), 0, 1); // [0, 0.5, 1]
 * ```
 */
export function clip(x: Tensor, min: number, max: number): Tensor {
  if (typeof min !== 'number' || typeof max !== 'number' || !(min <= max)) {
    throw new Error(`clip: need numbers min <= max, got min ${String(min)} and max ${String(max)}`);
  }
  const loop: UnaryLoop = (out, o, n, v, vi, vs) => {
    for (let i = 0; i < n; i++, vi += vs) {
      const e = v[vi];
      out[o + i] = e < min ? min : e > max ? max : e;
    }
  };
  return mapUnary(x, loop);
}

/**
 * The elements of `x` converted to `dtype` (float64 → float32 rounds to nearest, overflowing to ±Infinity).
 *
 * When `x` already has `dtype`, `x` itself is returned, not a copy: tensors are immutable, so
 * sharing is safe, and `cast` costs nothing when there is nothing to do.
 *
 * @throws Error for a dtype other than 'float32' and 'float64'.
 * @example
 * ```ts
 * cast(tensor([0.1]), 'float64'); // [0.10000000149011612], float64
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  const dt = checkDType(dtype, 'cast');
  if (x.dtype === dt) return x;
  return mapUnary(x, copyLoop, dt);
}
