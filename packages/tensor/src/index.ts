// @tapegrad/tensor: strided float32/float64 tensors and the CPU kernels that compute on them.
export { type DType, type TypedArray, DEFAULT_DTYPE, DTYPES, allocate, checkDType, dtypeOfArray, isTypedArray } from './dtype.js';
export {
  type Shape,
  broadcastShapes,
  checkShape,
  contiguousStrides,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  sizeOf,
} from './shape.js';
export { type NestedArray, Tensor } from './tensor.js';
export { type TensorValues, arange, eye, full, linspace, ones, onesLike, tensor, zeros, zerosLike } from './create.js';
export {
  DEFAULT_SEED,
  Random,
  type RandomOptions,
  type RandomSource,
  globalRandom,
  randomNormal,
  randomUniform,
  resolveRandom,
  setSeed,
  truncatedNormal,
} from './random.js';
export { fromNdarray, toNdarray } from './interop.js';
export { copyToContiguous } from './strided.js';
export { type Backend, BACKENDS, getBackend, getNumThreads, setBackend, setNumThreads } from './backend.js';
export * as kernels from './kernels/index.js';
