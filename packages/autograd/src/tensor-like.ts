// Numbers where tensors are expected: `add(x, 1)` turns 1 into a scalar tensor of x's dtype.
import { type DType, DEFAULT_DTYPE, Tensor, allocate } from '@tapegrad/tensor';

/** A tensor, or a number standing for a scalar tensor of the other operand's dtype. */
export type TensorLike = Tensor | number;

/** A scalar tensor holding `value`. */
export function scalar(value: number, dtype: DType = DEFAULT_DTYPE): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

// Scalars of the numbers VJPs use most (sub(1, y), greater(x, 0), mul(x, 2)), made once per dtype: tensors are
// immutable, and these never leave the ops they are operands of.
const COMMON = [0, 1, 2, -1, 0.5];
const constants: Record<DType, Tensor[]> = {
  float32: COMMON.map((v) => scalar(v, 'float32')),
  float64: COMMON.map((v) => scalar(v, 'float64')),
};

/** A scalar operand: shared for a common number, else new. */
function operand(value: number, dtype: DType): Tensor {
  const i = COMMON.indexOf(value);
  return i >= 0 && !Object.is(value, -0) ? constants[dtype][i] : scalar(value, dtype);
}

/** Both operands as tensors: a number takes the other operand's dtype (float32 when both are numbers). */
export function toTensors(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, b instanceof Tensor ? b : operand(b, a.dtype)];
  if (b instanceof Tensor) return [operand(a, b.dtype), b];
  return [scalar(a), scalar(b)];
}

/** `x` as a tensor: a number becomes a float32 scalar. */
export function toTensor(x: TensorLike, dtype?: DType): Tensor {
  return x instanceof Tensor ? x : scalar(x, dtype);
}
