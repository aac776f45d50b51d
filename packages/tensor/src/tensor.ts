// The Tensor: a strided view of a Float32Array or Float64Array, in the scijs ndarray model.
import { type DType, type TypedArray, dtypeOfArray, isTypedArray } from './dtype.js';
import { type Shape, contiguousStrides, formatShape } from './shape.js';
import { formatTensor } from './format.js';
import { copyToContiguous } from './strided.js';

/** Nested JavaScript arrays of numbers, as `toArray()` returns them (a plain number for a scalar). */
export type NestedArray = number | NestedArray[];

let nextId = 1;

/**
 * An n-dimensional array of float32 or float64 numbers.
 *
 * A tensor is a view: element `[i0, i1, ...]` lives at `data[offset + i0*strides[0] + i1*strides[1] + ...]`,
 * exactly as in the scijs `ndarray` package. Transposes, slices and broadcasts are new views of the same
 * data, made without copying. Tensors are immutable: kernels never write into their inputs
 * (a `Variable` of `@tapegrad/autograd` is the one thing that changes in place).
 *
 * Create tensors with {@link tensor}, {@link zeros} and friends rather than with this constructor.
 *
 * @example
 * ```ts
 * const t = tensor([[1, 2, 3], [4, 5, 6]]);
 * t.shape;      // [2, 3]
 * t.toArray();  // [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export class Tensor {
  /** The storage this view reads; shared by every view of it. */
  readonly data: TypedArray;
  /** The dimensions, outermost first; `[]` for a scalar. */
  readonly shape: Shape;
  /** Distance in `data` between neighbours along each axis (0 along a broadcast axis). */
  readonly strides: Shape;
  /** Index in `data` of the first element. */
  readonly offset: number;
  /** The element type, read off `data`. */
  readonly dtype: DType;
  /** The number of elements: the product of the shape. */
  readonly size: number;
  /** True when the elements lie in row-major order at `data[offset .. offset + size)`. */
  readonly isContiguous: boolean;
  /** A number unique to this tensor object, used by tape printouts and graph exports. */
  readonly id: number;

  /**
   * Wraps `data` as a view. `strides` default to row-major; `offset` to 0.
   * @throws Error when the view would read outside `data` or the shape and strides disagree.
   */
  constructor(data: TypedArray, shape: Shape, strides?: Shape, offset = 0) {
    if (!isTypedArray(data)) throw new Error('Tensor: data must be a Float32Array or a Float64Array');
    const st = strides ?? contiguousStrides(shape);
    if (st.length !== shape.length) {
      throw new Error(`Tensor: shape ${formatShape(shape)} and strides ${formatShape(st)} have different lengths`);
    }
    let size = 1;
    let lo = offset;
    let hi = offset;
    let contiguous = true;
    let expected = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      const d = shape[i];
      if (!Number.isInteger(d) || d < 0 || !Number.isInteger(st[i])) {
        throw new Error(
          `Tensor: shape ${formatShape(shape)} with strides ${formatShape(st)} is invalid at axis ${i}; ` +
            'dimensions must be non-negative integers and strides integers',
        );
      }
      size *= d;
      if (d > 1) {
        if (st[i] !== expected) contiguous = false;
        expected *= d;
        if (st[i] > 0) hi += (d - 1) * st[i];
        else lo += (d - 1) * st[i];
      }
    }
    if (size > 0 && (lo < 0 || hi >= data.length || !Number.isInteger(offset))) {
      throw new Error(
        `Tensor: a view of shape ${formatShape(shape)}, strides ${formatShape(st)} and offset ${offset} ` +
          `reads outside its data of length ${data.length}`,
      );
    }
    this.data = data;
    this.shape = shape;
    this.strides = st;
    this.offset = offset;
    this.dtype = dtypeOfArray(data);
    this.size = size;
    this.isContiguous = contiguous;
    this.id = nextId++;
  }

  /** The number of axes (0 for a scalar). */
  get rank(): number {
    return this.shape.length;
  }

  /** The elements as nested arrays of numbers (a plain number for a scalar). */
  toArray(): NestedArray {
    const flat = this.toTypedArray();
    if (this.shape.length === 0) return flat[0];
    let pos = 0;
    const build = (axis: number): NestedArray[] => {
      const n = this.shape[axis];
      const out = new Array<NestedArray>(n);
      if (axis === this.shape.length - 1) for (let i = 0; i < n; i++) out[i] = flat[pos++];
      else for (let i = 0; i < n; i++) out[i] = build(axis + 1);
      return out;
    };
    return build(0);
  }

  /** A new contiguous row-major copy of the elements, of this tensor's dtype. */
  toTypedArray(): TypedArray {
    if (this.isContiguous) return this.data.slice(this.offset, this.offset + this.size);
    return copyToContiguous(this);
  }

  /**
   * The value of a one-element tensor.
   * @throws Error when the tensor holds more or fewer than one element.
   */
  item(): number {
    if (this.size !== 1) {
      throw new Error(`item: the tensor has shape ${formatShape(this.shape)} (${this.size} elements); item() needs exactly one`);
    }
    return this.data[this.offset]; // every index is 0
  }

  /**
   * The element at `index` (one integer per axis; negative counts from the end).
   * @throws Error when the index has the wrong length or lies outside the shape.
   */
  get(...index: number[]): number {
    if (index.length !== this.shape.length) {
      throw new Error(`get: index [${index.join(', ')}] has ${index.length} entries; the tensor has rank ${this.rank}`);
    }
    let pos = this.offset;
    for (let i = 0; i < index.length; i++) {
      const d = this.shape[i];
      const k = index[i] < 0 ? index[i] + d : index[i];
      if (!Number.isInteger(k) || k < 0 || k >= d) {
        throw new Error(`get: index ${index[i]} is out of range for axis ${i} of size ${d} (shape ${formatShape(this.shape)})`);
      }
      pos += k * this.strides[i];
    }
    return this.data[pos];
  }

  /** NumPy-style text: the values (elided when large), then shape and dtype. */
  toString(): string {
    return formatTensor(this);
  }
}
