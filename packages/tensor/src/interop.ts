// Conversion between tapegrad tensors and scijs ndarrays, sharing memory where the layout allows.
import ndarray from 'ndarray';
import { type TypedArray, isTypedArray } from './dtype.js';
import { Tensor } from './tensor.js';
import { ndarrayOf } from './strided.js';

/**
 * Wraps a scijs ndarray as a tensor. Float32Array and Float64Array storage is shared, not copied;
 * other storage (plain arrays, integer typed arrays) is copied into a new Float32Array.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const t = fromNdarray(ndarray(new Float32Array([1, 2, 3, 4]), [2, 2]));
 * ```
 */
export function fromNdarray(array: ndarray.NdArray<ndarray.Data<number>>): Tensor {
  const { data, shape, stride, offset } = array;
  if (isTypedArray(data)) return new Tensor(data, shape.slice(), stride.slice(), offset);
  const out = new Float32Array(array.size);
  let pos = 0;
  const walk = (axis: number, index: number[]): void => {
    if (axis === shape.length) {
      out[pos++] = Number(array.get(...index));
      return;
    }
    for (let i = 0; i < shape[axis]; i++) walk(axis + 1, [...index, i]);
  };
  walk(0, []);
  return new Tensor(out, shape.slice());
}

/**
 * A scijs ndarray viewing the same memory as `t` (no copy): writes through it change the tensor.
 *
 * @example
 * ```ts
 * const nd = toNdarray(tensor([[1, 2], [3, 4]]));
 * nd.get(1, 0); // 3
 * ```
 */
export function toNdarray(t: Tensor): ndarray.NdArray<TypedArray> {
  return ndarrayOf(t);
}
