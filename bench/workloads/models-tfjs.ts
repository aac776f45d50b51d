// The models of W1, W2, W5 and W6 in TensorFlow.js (tfjs-layers), layer for layer the same as models-tapegrad.ts.
// This file imports tfjs-core and tfjs-layers only (no backend), so W5's child processes load just what they use.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Data } from './data.js';

/** A data set as TensorFlow.js tensors on the active backend; dispose them when done. */
export const tfjsData = (d: Data): { x: tf.Tensor; y: tf.Tensor } => ({ x: tf.tensor(d.x, d.xShape), y: tf.tensor(d.y, d.yShape) });

/** W1's seed model (tfjs-layers' defaults are Keras's: glorot uniform, BN momentum 0.99 and epsilon 1e-3, Adam 1e-3). */
export function tfjsSeedModel(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 50, inputShape: [2], activation: 'relu', kernelInitializer: 'heUniform' }),
      tfl.layers.batchNormalization(),
      tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** W2's MLP. */
export function tfjsMlp(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 256, inputShape: [784] }),
      tfl.layers.batchNormalization(),
      tfl.layers.reLU(),
      tfl.layers.dense({ units: 256 }),
      tfl.layers.batchNormalization(),
      tfl.layers.reLU(),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return model;
}

/** W6's digits model. */
export function tfjsConvnet(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ filters: 16, kernelSize: 3, inputShape: [8, 8, 1], padding: 'same', useBias: false }),
      tfl.layers.batchNormalization(),
      tfl.layers.reLU(),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return model;
}
