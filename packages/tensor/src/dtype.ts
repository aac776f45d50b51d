// Element types: float32 (the default, what models train in) and float64 (for exact gradient checks).

/** The element types a tensor can hold. */
export type DType = 'float32' | 'float64';

/** The typed arrays behind tensors: one per {@link DType}. */
export type TypedArray = Float32Array | Float64Array;

/** The dtype new tensors get when none is given. */
export const DEFAULT_DTYPE: DType = 'float32';

/** Every supported dtype, in the order error messages list them. */
export const DTYPES: readonly DType[] = ['float32', 'float64'];

/**
 * Checks that `dtype` names a supported element type and returns it.
 * @throws Error naming `op` and the valid choices otherwise.
 */
export function checkDType(dtype: unknown, op: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new Error(`${op}: unsupported dtype ${JSON.stringify(dtype)}; valid dtypes are 'float32' and 'float64'`);
}

/** A new zero-filled typed array of `length` elements for `dtype`. */
export function allocate(dtype: DType, length: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/** The dtype a typed array stores. */
export function dtypeOfArray(array: TypedArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

/** True for the typed arrays a tensor can wrap without copying. */
export function isTypedArray(value: unknown): value is TypedArray {
  return value instanceof Float32Array || value instanceof Float64Array;
}
