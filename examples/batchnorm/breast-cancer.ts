// Breast Cancer Wisconsin: raw inputs, an adapted Normalization layer, and BatchNormalization, from the same initial weights.
import { readFileSync } from 'node:fs';
import {
  BatchNormalization, Dense, type Layer, Normalization, Random, Sequential, type Tensor, setSeed, tensor,
} from 'tapegrad';
import { type Experiment, type Output, type Run, trainRun } from './experiment.js';

/** The data file, copied into the repository with its attribution (examples/data/README.md). */
export const BREAST_CANCER_FILE = new URL('../data/breast_cancer.csv', import.meta.url);

/** The data set as tensors: x [569, 30] (float32), y [569, 1] (1 = benign, 0 = malignant). */
export interface BreastCancer {
  x: Tensor;
  y: Tensor;
}

/**
 * Reads scikit-learn's breast_cancer.csv: a header `569,30,malignant,benign` (rows, features, label names),
 * then one sample a line, its 30 features then its label.
 * @throws Error naming the line when a row does not have 31 numbers.
 */
export function loadBreastCancer(file: URL | string = BREAST_CANCER_FILE): BreastCancer {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const [nRows, nFeatures] = header.split(',').map(Number);
  if (lines.length !== nRows) throw new Error(`loadBreastCancer: the header announces ${nRows} rows, the file has ${lines.length}`);
  const features: number[][] = [];
  const labels: number[][] = [];
  lines.forEach((line, i) => {
    const values = line.split(',').map(Number);
    if (values.length !== nFeatures + 1 || values.some((v) => !Number.isFinite(v))) {
      throw new Error(`loadBreastCancer: line ${i + 2} should hold ${nFeatures + 1} numbers, got: ${line.slice(0, 60)}…`);
    }
    features.push(values.slice(0, nFeatures));
    labels.push([values[nFeatures]]);
  });
  return { x: tensor(features), y: tensor(labels) };
}

/**
 * A fixed train/validation split: the rows in a seeded random order (the file lists them as collected),
 * then the last `fraction` of them for validation, as Keras's validationSplit would take them.
 */
export function shuffledSplit(data: BreastCancer, fraction: number, seed: number) {
  const n = data.x.shape[0];
  const order = new Random(seed).permutation(n); // the same seed, the same split, on every machine
  const x = data.x.gather(order);
  const y = data.y.gather(order);
  const nTrain = Math.floor(n * (1 - fraction));
  return {
    xTrain: x.slice([0], [nTrain]), yTrain: y.slice([0], [nTrain]),
    xVal: x.slice([nTrain], [n - nTrain]), yVal: y.slice([nTrain], [n - nTrain]),
  };
}

/** What to train and for how long. */
export interface BreastCancerOptions {
  epochs: number;
  /** Seeds the split, the initial weights and fit's shuffling. */
  seed: number;
  /** Units of the hidden layer; the demo uses 16. */
  hidden: number;
}

/** The three ways to feed the features to the same small network. */
export type Variant = 'raw inputs' | 'Normalization' | 'BatchNormalization';

/** The variants, in the order of the table's columns. */
export const VARIANTS: readonly Variant[] = ['raw inputs', 'Normalization', 'BatchNormalization'];

/** Each variant's model name (the summary's title). */
const MODEL_NAMES: Record<Variant, string> = {
  'raw inputs': 'raw_inputs', Normalization: 'normalized_inputs', BatchNormalization: 'with_batch_norm',
};

/** Dense(hidden, relu) → Dense(1, sigmoid), with the variant's normalization layer before or inside it. */
function classifier(variant: Variant, nFeatures: number, hidden: number): Sequential {
  const relu = { activation: 'relu', kernelInitializer: 'he_uniform' } as const;
  const layers: Layer[] = [];
  if (variant === 'Normalization') {
    layers.push(new Normalization({ inputShape: [nFeatures] })); // (x - mean) / std, feature by feature
    layers.push(new Dense(hidden, relu));
  } else {
    layers.push(new Dense(hidden, { ...relu, inputShape: [nFeatures] }));
  }
  // BatchNormalization normalizes the hidden units instead. The first layer still sees raw-scale inputs, and
  // the moving statistics that validation uses lag behind its fast-changing outputs: watch the validation
  // curve of this model dip in breast-cancer.svg.
  if (variant === 'BatchNormalization') layers.push(new BatchNormalization());
  layers.push(new Dense(1, { activation: 'sigmoid' }));
  return new Sequential(layers, { name: MODEL_NAMES[variant] });
}

/** The model's Dense layers, in order (the weights every variant shares). */
export function denseLayers(model: Sequential): Layer[] {
  return model.layers.filter((l) => l instanceof Dense);
}

/**
 * One model per variant, all starting from the same Dense weights: `setSeed` fixes the first model's,
 * and the others take them with getWeights/setWeights. The Normalization layer is not adapted yet.
 */
export function variantModels(nFeatures: number, hidden: number, seed: number): Sequential[] {
  setSeed(seed);
  const models = VARIANTS.map((v) => classifier(v, nFeatures, hidden));
  for (const model of models.slice(1)) {
    denseLayers(model).forEach((layer, i) => layer.setWeights(denseLayers(models[0])[i].getWeights()));
  }
  return models;
}

/**
 * Trains the same network three ways on the breast-cancer data (70 % train, 30 % validation): on the raw
 * features, behind a Normalization layer adapted to the training data, and with BatchNormalization after the
 * hidden layer. All three start from the same Dense weights and see the batches in the same order.
 */
export async function breastCancerExperiment(options: BreastCancerOptions, out: Output): Promise<Experiment> {
  const { epochs, seed, hidden } = options;
  // 1. The data and a fixed split. Features range from 0.001 to over 4,000: raw, the largest swamp the others.
  const data = loadBreastCancer();
  const { xTrain, yTrain, xVal, yVal } = shuffledSplit(data, 0.3, seed);
  const nFeatures = data.x.shape[1];

  // 2. Three models from the same initial Dense weights.
  const models = variantModels(nFeatures, hidden, seed);

  // 3. Input normalization learns its mean and variance from the TRAINING rows only, before training
  //    (Keras's adapt): the validation rows must not leak into the model.
  (models[1].layers[0] as Normalization).adapt(xTrain);

  // 4. The same training for all three, validated on the held-out rows after each epoch.
  const runs: Run[] = [];
  for (const [i, model] of models.entries()) {
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const fit = { epochs, batchSize: 32, validationData: [xVal, yVal] as const, seed };
    runs.push(await trainRun(VARIANTS[i], model, xTrain, yTrain, fit, out));
  }

  return {
    name: 'breast-cancer',
    title: `Breast Cancer Wisconsin: 569 samples, 30 features, ${xTrain.shape[0]} train / ${xVal.shape[0]} validation, ${epochs} epochs`,
    notes: [
      `Dense(${hidden}, relu) → Dense(1, sigmoid) on the raw features, behind a Normalization layer adapted to the`,
      'training rows, and with BatchNormalization after the hidden layer. 63 % of the samples are benign.',
    ],
    runs,
  };
}
