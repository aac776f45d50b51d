// Selection and conversion ops: where, clip, cast.
import { type DType, Tensor, kernels, zerosLike } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';
import { type TensorLike, toTensor } from '../tensor-like.js';
import { greaterEqual, lessEqual, mul } from './binary.js';

const whereOp = defineOp('where', {
  forward: ([c, a, b]) => kernels.where(c, a, b),
  // the condition is a constant; each branch gets the gradient where it was chosen
  vjp: (g, { inputs: [c], needs }) => {
    const zero = zerosLike(g);
    return [null, needs[1] ? where(c, g, zero) : null, needs[2] ? where(c, zero, g) : null];
  },
});

const clipOp = defineOp<{ min: number; max: number }>('clip', {
  forward: ([x], { min, max }) => kernels.clip(x, min, max),
  // gradient 1 inside [min, max] (bounds included, as TensorFlow), 0 outside
  vjp: (g, { inputs: [x], attrs: { min, max } }) => [mul(g, mul(greaterEqual(x, min), lessEqual(x, max)))],
});

const castOp = defineOp<DType>('cast', {
  forward: ([x], dtype) => kernels.cast(x, dtype),
  vjp: (g, { inputs: [x] }) => [cast(g, x.dtype)],
});

/**
 * Picks `a` where `condition` is nonzero and `b` elsewhere, all three broadcast together.
 * @example `where(greater(x, 0), x, 0)` is relu(x)
 */
export const where = (condition: Tensor, a: TensorLike, b: TensorLike): Tensor => {
  const dtype = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : condition.dtype;
  return whereOp([condition, toTensor(a, dtype), toTensor(b, dtype)]);
};

/** Clamps every element into [min, max]; the gradient is 1 inside (bounds included) and 0 outside. */
export const clip = (x: Tensor, min: number, max: number): Tensor => clipOp([x], { min, max });

/** Converts to `dtype` (returns `x` itself when it already has it); the gradient is cast back. */
export const cast = (x: Tensor, dtype: DType): Tensor => (x.dtype === dtype ? x : castOp([x], dtype));
