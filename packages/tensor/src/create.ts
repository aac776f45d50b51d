// Creating tensors: from JavaScript values, filled with a constant, or as ranges.
import { type DType, type TypedArray, DEFAULT_DTYPE, allocate, checkDType, dtypeOfArray, isTypedArray } from './dtype.js';
import { type Shape, checkShape, formatShape, sizeOf } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

/** What {@link tensor} accepts: a number, nested arrays of numbers, a flat array or a typed array. */
export type TensorValues = number | NestedArray | readonly number[] | TypedArray | ArrayLike<number>;

/** The shape implied by nested arrays; throws on ragged nesting or non-numbers. */
function inferShape(values: unknown): number[] {
  const shape: number[] = [];
  let v = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function flattenInto(values: unknown, shape: number[], axis: number, out: TypedArray, pos: { i: number }, path: number[]): void {
  if (axis === shape.length) {
    if (typeof values !== 'number') {
      const where = path.length ? ` at [${path.join(', ')}]` : '';
      throw new Error(`tensor: expected a number${where}, got ${Array.isArray(values) ? 'an array' : typeof values}; nested arrays must be regular`);
    }
    out[pos.i++] = values;
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[axis]) {
    const got = Array.isArray(values) ? `length ${values.length}` : typeof values;
    throw new Error(
      `tensor: ragged nested array: the entry at [${path.join(', ')}] has ${got} where shape ${formatShape(shape)} needs length ${shape[axis]}`,
    );
  }
  for (let k = 0; k < values.length; k++) flattenInto(values[k], shape, axis + 1, out, pos, [...path, k]);
}

/**
 * Makes a tensor from a number, nested arrays, a flat array or a typed array.
 *
 * With a flat array or typed array, `shape` says how to read it (default: one axis). A Float32Array or
 * Float64Array of the requested dtype is wrapped without copying; anything else is copied.
 *
 * @param values - the elements, in row-major order when flat
 * @param shape - the dimensions; must match the number of values
 * @param dtype - 'float32' (default, or the typed array's own type) or 'float64'
 * @throws Error for ragged nesting, non-numbers, or a value count that does not fit the shape.
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]);                      // shape [2, 2], float32
 * tensor([1, 2, 3, 4, 5, 6], [2, 3]);            // shape [2, 3]
 * tensor(new Float64Array([0.5, 1.5]));          // float64, shares the array
 * tensor(3);                                     // a scalar, shape []
 * ```
 */
export function tensor(values: TensorValues, shape?: Shape, dtype?: DType): Tensor {
  const wanted = shape === undefined ? undefined : checkShape(shape, 'tensor');
  if (isTypedArray(values)) {
    const dt = checkDType(dtype ?? dtypeOfArray(values), 'tensor');
    const dims = wanted ?? [values.length];
    checkCount(values.length, dims);
    if (dtypeOfArray(values) === dt) return new Tensor(values, dims);
    const out = allocate(dt, values.length);
    out.set(values);
    return new Tensor(out, dims);
  }
  const dt = checkDType(dtype ?? DEFAULT_DTYPE, 'tensor');
  if (typeof values === 'number') {
    const dims = wanted ?? [];
    checkCount(1, dims);
    const out = allocate(dt, 1);
    out[0] = values;
    return new Tensor(out, dims);
  }
  if (Array.isArray(values)) {
    const nested = inferShape(values);
    const out = allocate(dt, sizeOf(nested));
    flattenInto(values, nested, 0, out, { i: 0 }, []);
    if (wanted === undefined) return new Tensor(out, nested);
    checkCount(out.length, wanted);
    return new Tensor(out, wanted);
  }
  if (values !== null && typeof values === 'object' && typeof (values as ArrayLike<number>).length === 'number') {
    const like = values as ArrayLike<number>;
    const dims = wanted ?? [like.length];
    checkCount(like.length, dims);
    const out = allocate(dt, like.length);
    for (let i = 0; i < like.length; i++) out[i] = Number(like[i]);
    return new Tensor(out, dims);
  }
  throw new Error(`tensor: cannot make a tensor from ${typeof values}; pass a number, nested arrays or a typed array`);
}

function checkCount(count: number, shape: Shape): void {
  const need = sizeOf(shape);
  if (count !== need) {
    throw new Error(`tensor: ${count} values do not fit shape ${formatShape(shape)}, which holds ${need}`);
  }
}

/**
 * A tensor of `shape` with every element equal to `value`.
 * @example
 * ```ts
 * full([2, 2], 7); // [[7, 7], [7, 7]]
 * ```
 */
export function full(shape: Shape, value: number, dtype: DType = DEFAULT_DTYPE): Tensor {
  const dims = checkShape(shape, 'full');
  const out = allocate(checkDType(dtype, 'full'), sizeOf(dims));
  if (value !== 0) out.fill(value);
  return new Tensor(out, dims);
}

/**
 * A tensor of zeros.
 * @example
 * ```ts
 * zeros([2, 3]);
 * ```
 */
export function zeros(shape: Shape, dtype: DType = DEFAULT_DTYPE): Tensor {
  return full(shape, 0, dtype);
}

/**
 * A tensor of ones.
 * @example
 * ```ts
 * ones([3], 'float64');
 * ```
 */
export function ones(shape: Shape, dtype: DType = DEFAULT_DTYPE): Tensor {
  return full(shape, 1, dtype);
}

/**
 * Zeros with the shape and dtype of `t`.
 * @example
 * ```ts
 * zerosLike(tensor([1, 2])); // [0, 0]
 * ```
 */
export function zerosLike(t: Tensor): Tensor {
  return full(t.shape, 0, t.dtype);
}

/**
 * Ones with the shape and dtype of `t`.
 * @example
 * ```ts
 * onesLike(tensor([1, 2])); // [1, 1]
 * ```
 */
export function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1, t.dtype);
}

/**
 * An `n` by `m` matrix with ones on the diagonal and zeros elsewhere.
 * @example
 * ```ts
 * eye(3);    // 3x3 identity
 * eye(2, 3); // [[1, 0, 0], [0, 1, 0]]
 * ```
 */
export function eye(n: number, m: number = n, dtype: DType = DEFAULT_DTYPE): Tensor {
  const dims = checkShape([n, m], 'eye');
  const out = allocate(checkDType(dtype, 'eye'), n * m);
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1;
  return new Tensor(out, dims);
}

/**
 * Evenly spaced values in [start, stop) with step `step`; `arange(n)` is 0 .. n-1.
 * @example
 * ```ts
 * arange(4);         // [0, 1, 2, 3]
 * arange(1, 2, 0.25); // [1, 1.25, 1.5, 1.75]
 * ```
 */
export function arange(start: number, stop?: number, step = 1, dtype: DType = DEFAULT_DTYPE): Tensor {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !Number.isFinite(step) || step === 0) {
    throw new Error(`arange: start ${lo}, stop ${hi} and step ${step} must be finite, with a non-zero step`);
  }
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const out = allocate(checkDType(dtype, 'arange'), n);
  for (let i = 0; i < n; i++) out[i] = lo + i * step;
  return new Tensor(out, [n]);
}

/**
 * `num` evenly spaced values from `start` to `stop`, both included.
 * @example
 * ```ts
 * linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num: number, dtype: DType = DEFAULT_DTYPE): Tensor {
  checkShape([num], 'linspace');
  const out = allocate(checkDType(dtype, 'linspace'), num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (num > 1) out[num - 1] = stop;
  return new Tensor(out, [num]);
}
