// Table of contents of the losses (Keras 3 `keras.losses`): the Loss base class and its reductions, the loss classes
// and their per-sample functions, and getLoss for names.
export {
  Loss, type LossConfig, type LossOptions, type MaskedValues, REDUCTIONS, type Reduction, reduceWeightedValues, squeezeOrExpandToSameRank,
} from './loss.js';
export {
  BinaryCrossentropy, type BinaryCrossentropyOptions, CategoricalCrossentropy, type CategoricalCrossentropyOptions,
  SparseCategoricalCrossentropy, type SparseCategoricalCrossentropyOptions, binaryCrossentropy, categoricalCrossentropy,
  sparseCategoricalCrossentropy, sparseCategoricalCrossentropyMasked,
} from './crossentropy.js';
export { Hinge, MeanAbsoluteError, MeanSquaredError, hinge, meanAbsoluteError, meanSquaredError } from './regression.js';
export { LossFunctionWrapper, type LossFn, type LossIdentifier, getLoss } from './get-loss.js';
