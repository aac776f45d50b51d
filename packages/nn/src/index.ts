// @tapegrad/nn: Keras 3 layers, models, losses, metrics, optimizers and callbacks on the autograd tape.
export * from './layer.js';
export * from './layers/index.js';
export * from './models/index.js';
export * from './losses/index.js';
export * from './metrics/index.js';
export * from './optimizers/index.js';
export * from './callbacks/index.js';
export * from './activations.js';
export * from './initializers.js';
export * from './regularizers.js';
export * from './constraints.js';
export { resetNames } from './names.js';
export { batchNormalization, batchNormalizationInference, type BatchNormOptions } from './ops/batch-norm.js';
export { dense } from './ops/dense.js';
export * from './serialization/registry.js';
export * from './serialization/model-io.js';
export { type MakeCirclesOptions, makeCircles } from './datasets/make-circles.js';
