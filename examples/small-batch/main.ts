// BatchNormalization against LayerNormalization with batches of 2, 8, 32 and 128: how batch norm depends on the batch.
//
// Run:  npx tsx examples/small-batch/main.ts            (about 20 s: the whole training set, 10 epochs per run)
//       npx tsx examples/small-batch/main.ts --quick    (a few seconds: 500 training images, 4 epochs)
// Writes out/small-batch.svg (held-out accuracy per epoch) and out/final-accuracy.svg (accuracy against batch size),
// drawn by plot.ts.
//
// BatchNormalization normalizes each feature with the mean and variance of the *batch*. With 2 samples those
// estimates are very noisy (each normalized feature is then close to -1 or +1: little more survives than which of
// the two samples is larger), and the moving averages used at inference are averages of these noisy estimates.
// LayerNormalization normalizes each sample over its own features: it has no batch statistics, so it behaves the
// same for every batch size, in training and in inference.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchNormalization, Dense, LayerNormalization, type Layer, ReLU, Random, Sequential, type Tensor, kernels, noGrad, resetNames, setSeed,
} from 'tapegrad';
import { type ExampleOptions, cliOptions, isMain, outputDir, shortPath } from '../lib/example.js';
import { type DigitsSplit, accuracyOf, argmaxRows, loadDigits } from '../lib/digits.js';
import { renderSvg } from '../lib/plot.js';
import { curvesSpec, finalAccuracySpec } from './plot.js';

/** The two normalizations compared. */
export type Norm = 'BatchNormalization' | 'LayerNormalization';

/** One training run: a normalization and a batch size. */
export interface Run {
  norm: Norm;
  batchSize: number;
  /** Optimizer steps taken: epochs · ceil(samples / batchSize). */
  steps: number;
  /** Held-out accuracy after each epoch, in inference mode (BN uses its moving averages). */
  curve: number[];
  /** Held-out accuracy at the end, in inference mode. */
  testAccuracy: number;
  /** The same weights and images, but run in training mode in batches of batchSize (BN uses batch statistics). */
  batchStatsAccuracy: number;
  seconds: number;
}

/** What the example returns to tests and run-all.ts. */
export interface SmallBatchResult {
  runs: Run[];
  /** The SVG files written. */
  files: string[];
}

export const BATCH_SIZES = [2, 8, 32, 128];

/** Two hidden layers, each Dense → normalization → ReLU, then a softmax over the 10 digits. */
export function buildModel(norm: Norm): Sequential {
  const normLayer = (): Layer => (norm === 'BatchNormalization' ? new BatchNormalization() : new LayerNormalization());
  return new Sequential([
    new Dense(64, { inputShape: [64] }), normLayer(), new ReLU(),
    new Dense(64), normLayer(), new ReLU(),
    new Dense(10, { activation: 'softmax' }),
  ]);
}

/** Trains every (normalization, batch size) pair, prints the table, writes the plots. */
export async function main(options: ExampleOptions = {}): Promise<SmallBatchResult> {
  const log = options.log ?? console.log;
  const quick = options.quick ?? false;
  const epochs = quick ? 4 : 10;
  const data = loadDigits({ layout: 'flat', seed: 0, maxTrain: quick ? 500 : undefined });
  const n = data.xTrain.shape[0];
  log(`digits, flattened to 64 features: ${n} training and ${data.xTest.shape[0]} held-out images; ${epochs} epochs per run${quick ? ' (quick run)' : ''}\n`);

  // 1. Eight runs: each normalization with each batch size.
  const runs: Run[] = [];
  const trainedWith32 = new Map<Norm, Sequential>(); // kept for the demonstration after the table
  for (const batchSize of BATCH_SIZES) {
    for (const norm of ['BatchNormalization', 'LayerNormalization'] as const) {
      const { run, model } = await trainRun(norm, batchSize, epochs, data);
      runs.push(run);
      if (batchSize === 32) trainedWith32.set(norm, model);
    }
  }

  // 2. The table: one row per batch size.
  log(formatTable(runs));
  log(companionsDemo(trainedWith32, data.xTest, data.yTest));

  // 3. The plots.
  const dir = outputDir(import.meta.url, options.outDir);
  const files = [join(dir, 'small-batch.svg'), join(dir, 'final-accuracy.svg')];
  writeFileSync(files[0], await renderSvg(curvesSpec(runs)));
  writeFileSync(files[1], await renderSvg(finalAccuracySpec(runs)));
  log(`\nwrote ${files.map(shortPath).join(' and ')}`);
  return { runs, files };
}

/**
 * Trains one model and measures it. Every run starts from the same seed, so the Dense layers start from the same
 * weights and the samples come in the same order: the batch size and the normalization are the only differences.
 */
async function trainRun(norm: Norm, batchSize: number, epochs: number, data: DigitsSplit): Promise<{ run: Run; model: Sequential }> {
  const start = performance.now();
  setSeed(1);
  resetNames();
  const model = buildModel(norm);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  // The held-out images serve as validation data, to draw the accuracy after each epoch (nothing is tuned on them).
  const history = await model.fit(data.xTrain, data.yTrain, { epochs, batchSize, seed: 2, verbose: 0, validationData: [data.xTest, data.yTest] });
  const testAccuracy = accuracyOf(argmaxRows(model.predict(data.xTest, { verbose: 0 })), data.yTest);
  const batchStatsAccuracy = accuracyInTrainingMode(model, data.xTest, data.yTest, batchSize); // last: it moves BN's averages
  const steps = epochs * Math.ceil(data.xTrain.shape[0] / batchSize);
  const run = { norm, batchSize, steps, curve: history.history.val_accuracy, testAccuracy, batchStatsAccuracy, seconds: (performance.now() - start) / 1000 };
  return { run, model };
}

/**
 * Accuracy with the layers in training mode, fed `batchSize` images at a time: what BatchNormalization computes
 * during fit. No gradient is taken, but BN still updates its moving averages, so call this on a finished model.
 */
function accuracyInTrainingMode(model: Sequential, x: Tensor, y: Tensor, batchSize: number): number {
  const predicted = new Int32Array(x.shape[0]);
  for (let start = 0; start < x.shape[0]; start += batchSize) {
    const size = Math.min(batchSize, x.shape[0] - start);
    const batch = kernels.slice(x, [start], [size]); // rows start .. start + size - 1
    predicted.set(argmaxRows(noGrad(() => model.apply(batch, { training: true }))), start);
  }
  return accuracyOf(predicted, y);
}

/** The results as a table, with what to read in it. */
function formatTable(runs: Run[]): string {
  const pct = (v: number, width: number): string => `${(100 * v).toFixed(1)}%`.padStart(width);
  const find = (norm: Norm, b: number): Run => runs.find((r) => r.norm === norm && r.batchSize === b) as Run;
  const lines = [
    'held-out accuracy of BatchNormalization (BN) and LayerNormalization (LN):',
    'batch size   steps   BN inference    BN training mode   LN inference   seconds',
    '                     (moving avgs)   (batch stats)                     BN + LN',
  ];
  for (const b of BATCH_SIZES) {
    const bn = find('BatchNormalization', b);
    const ln = find('LayerNormalization', b);
    lines.push(
      `${String(b).padStart(10)} ${String(bn.steps).padStart(7)} ${pct(bn.testAccuracy, 14)} ${pct(bn.batchStatsAccuracy, 18)} ` +
        `${pct(ln.testAccuracy, 14)}   ${bn.seconds.toFixed(1)} + ${ln.seconds.toFixed(1)}`,
    );
  }
  lines.push(
    '',
    'LayerNormalization gives the same answer in training and in inference, whatever the batch size. BatchNormalization',
    'with batches of 2 trains on statistics so noisy that its moving averages describe the data poorly; with batches of',
    '128 there are few steps, and momentum 0.99 leaves the moving averages behind the weights.',
  );
  return lines.join('\n');
}

/**
 * The batch dependence in one picture: the same test image, put in five different batches of 8 images, in training
 * mode, through the models trained with batches of 32. BatchNormalization's output for it changes with its
 * companions; LayerNormalization's does not.
 */
function companionsDemo(models: Map<Norm, Sequential>, x: Tensor, y: Tensor): string {
  const lines = [`\nthe probability given to the right digit for test image 0 (a ${y.get(0)}), in 5 batches of 8 with different companions,`,
    'in training mode (models trained with batches of 32):'];
  for (const [norm, model] of models) {
    const rng = new Random(3); // the same five batches for both models
    const probabilities: string[] = [];
    for (let k = 0; k < 5; k++) {
      const companions = Array.from(rng.permutation(x.shape[0] - 1).subarray(0, 7), (i) => i + 1);
      const batch = kernels.gather(x, Int32Array.from([0, ...companions]), 0);
      const p = noGrad(() => model.apply(batch, { training: true }));
      probabilities.push(p.get(0, y.get(0)).toFixed(4));
    }
    lines.push(`  ${norm.padEnd(19)} ${probabilities.join('  ')}`);
  }
  return lines.join('\n');
}

if (isMain(import.meta.url)) await main(cliOptions());
