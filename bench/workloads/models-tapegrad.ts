// The models of W1, W2, W5 and W6 in tapegrad, compiled as Keras would be (this file imports tapegrad only).
import {
  BatchNormalization, Conv2D, Dense, Flatten, MaxPooling2D, ReLU, Sequential, type Tensor, setSeed, tensor,
} from 'tapegrad';
import type { Data } from './data.js';

/** A data set as tapegrad tensors. */
export const tapegradData = (d: Data): { x: Tensor; y: Tensor } => ({ x: tensor(d.x, d.xShape), y: tensor(d.y, d.yShape) });

/** W1, the seed model of the batch-normalization demo: Dense 50 relu he_uniform → BN → Dense 1 sigmoid; Adam, BCE, accuracy. */
export function tapegradSeedModel(): Sequential {
  setSeed(7);
  const model = new Sequential([
    new Dense(50, { inputShape: [2], activation: 'relu', kernelInitializer: 'he_uniform' }),
    new BatchNormalization(),
    new Dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** W2's MLP: 784 → Dense 256 → BN → ReLU → Dense 256 → BN → ReLU → Dense 10 softmax; Adam, categorical crossentropy. */
export function tapegradMlp(): Sequential {
  setSeed(7);
  const model = new Sequential([
    new Dense(256, { inputShape: [784] }),
    new BatchNormalization(),
    new ReLU(),
    new Dense(256),
    new BatchNormalization(),
    new ReLU(),
    new Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  return model;
}

/**
 * W6, the digits example's model (examples/digits): Conv2D(16, 3×3, padding same, no bias) → BN → ReLU →
 * MaxPooling2D 2×2 → Flatten → Dense 10 softmax; Adam, sparse categorical crossentropy.
 */
export function tapegradConvnet(): Sequential {
  setSeed(7);
  const model = new Sequential([
    new Conv2D(16, 3, { inputShape: [8, 8, 1], padding: 'same', useBias: false }),
    new BatchNormalization(),
    new ReLU(),
    new MaxPooling2D({ poolSize: 2 }),
    new Flatten(),
    new Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  return model;
}
