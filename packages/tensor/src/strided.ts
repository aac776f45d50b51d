// The generic strided path: copies of arbitrary views (transposed, sliced, broadcast) into row-major order.
// scijs ndarray-ops compiles a loop nest per stride pattern, visiting memory in the order the strides favour.
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { allocate, type TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

/** The view fields the strided helpers need (a Tensor has them all). */
export interface StridedView {
  readonly data: TypedArray;
  readonly shape: Shape;
  readonly strides: Shape;
  readonly offset: number;
  readonly size: number;
  readonly dtype: 'float32' | 'float64';
}

/** A scijs ndarray over the same memory as `view` (no copy). */
export function ndarrayOf(view: StridedView): ndarray.NdArray<TypedArray> {
  return ndarray(view.data, view.shape.slice(), view.strides.slice(), view.offset);
}

/** A new row-major typed array holding the elements of a strided view. */
export function copyToContiguous(view: StridedView): TypedArray {
  const out = allocate(view.dtype, view.size);
  if (view.size === 0) return out;
  if (view.shape.length === 0) {
    out[0] = view.data[view.offset];
    return out;
  }
  ops.assign(ndarray(out, view.shape.slice()), ndarrayOf(view));
  return out;
}

/** Writes the elements of `src` into the row-major region `dst[dstOffset ..]` laid out with `dstStrides`. */
export function copyInto(dst: TypedArray, dstShape: Shape, dstStrides: Shape, dstOffset: number, src: StridedView): void {
  if (src.size === 0) return;
  if (dstShape.length === 0) {
    dst[dstOffset] = src.data[src.offset];
    return;
  }
  ops.assign(ndarray(dst, dstShape.slice(), dstStrides.slice(), dstOffset), ndarrayOf(src));
}
