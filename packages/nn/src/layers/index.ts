// Table of contents of the built-in layers, one file per layer (pooling.ts holds both 2-D poolings).
export { Dense, type DenseOptions } from './dense.js';
export { BatchNormalization, type BatchNormalizationOptions } from './batch-normalization.js';
export { Activation } from './activation.js';
export { ReLU, type ReLUOptions } from './relu.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Flatten, type FlattenOptions } from './flatten.js';
export { Conv2D, type Conv2DOptions, type DataFormat, type PaddingMode, type Size2D } from './conv2d.js';
export { AveragePooling2D, MaxPooling2D, Pooling2D, type Pooling2DOptions } from './pooling.js';
export { LayerNormalization, type LayerNormalizationOptions } from './layer-normalization.js';
export { Normalization, type AdaptData, type NormalizationOptions } from './normalization.js';
