// The 8×8 handwritten digits of examples/data/digits.csv.gz as tensors, with a fixed seeded train/test split.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Random, type Tensor, tensor } from 'tapegrad';

/** Where the data file lives (see examples/data/README.md for its source and licence). */
export const DIGITS_FILE = new URL('../data/digits.csv.gz', import.meta.url);

/** The digits as plain arrays: 1797 images of 64 pixels (0..16, row by row) and their labels 0..9. */
export interface DigitsTable {
  pixels: Float32Array; // [n * 64]
  labels: Int32Array; // [n]
  n: number;
}

/**
 * Reads the gzipped CSV: one image a line, 64 pixel values then the label (65 numbers, no header).
 * Node's zlib unpacks it in memory; there is no temporary file.
 */
export function readDigits(file: URL | string = DIGITS_FILE): DigitsTable {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const pixels = new Float32Array(lines.length * 64);
  const labels = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const values = line.split(',').map(Number);
    if (values.length !== 65 || values.some((v) => !Number.isFinite(v))) {
      throw new Error(`readDigits: line ${i + 1} has ${values.length} numbers (expected 64 pixels and a label): ${line.slice(0, 60)}…`);
    }
    pixels.set(values.slice(0, 64), i * 64);
    labels[i] = values[64];
  });
  return { pixels, labels, n: lines.length };
}

/** Train and test tensors: images scaled to 0..1 and labels as class indices (float, shape [n]). */
export interface DigitsSplit {
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

/** Options of {@link loadDigits}. */
export interface LoadDigitsOptions {
  /** 'images' gives [n, 8, 8, 1] (for Conv2D, channels last); 'flat' gives [n, 64] (for Dense). Default 'images'. */
  layout?: 'images' | 'flat';
  /** Fraction of the samples held out for testing; default 0.2. */
  testFraction?: number;
  /** Seed of the shuffle that decides the split; the same seed always gives the same split. Default 0. */
  seed?: number;
  /** Keep only this many training samples (quick runs); default all. The test set is never cut. */
  maxTrain?: number;
}

/**
 * Loads the digits and splits them: one seeded permutation of the rows, the first part for training and
 * the rest for testing. Pixels are divided by 16, their largest value, so inputs lie in [0, 1].
 *
 * @example
 * ```ts
 * const { xTrain, yTrain, xTest, yTest } = loadDigits({ layout: 'images' });
 * xTrain.shape; // [1438, 8, 8, 1]
 * ```
 */
export function loadDigits(options: LoadDigitsOptions = {}): DigitsSplit {
  const { pixels, labels, n } = readDigits();
  const order = new Random(options.seed ?? 0).permutation(n);
  const nTest = Math.round(n * (options.testFraction ?? 0.2));
  const testRows = order.subarray(0, nTest);
  const trainRows = order.subarray(nTest, nTest + Math.min(options.maxTrain ?? Infinity, n - nTest));
  const sampleShape = options.layout === 'flat' ? [64] : [8, 8, 1];
  const take = (rows: Int32Array): [Tensor, Tensor] => {
    const x = new Float32Array(rows.length * 64);
    const y = new Float32Array(rows.length);
    rows.forEach((r, i) => {
      for (let k = 0; k < 64; k++) x[i * 64 + k] = pixels[r * 64 + k] / 16;
      y[i] = labels[r];
    });
    return [tensor(x, [rows.length, ...sampleShape]), tensor(y, [rows.length])];
  };
  const [xTrain, yTrain] = take(trainRows);
  const [xTest, yTest] = take(testRows);
  return { xTrain, yTrain, xTest, yTest };
}

/** The index of the largest value in each row of a [n, classes] tensor: the predicted classes. */
export function argmaxRows(probabilities: Tensor): Int32Array {
  const [n, k] = probabilities.shape;
  const p = probabilities.toTypedArray();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (p[i * k + j] > p[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}

/** The fraction of predictions equal to the labels. */
export function accuracyOf(predicted: Int32Array, labels: Tensor): number {
  const y = labels.toTypedArray();
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === y[i]) right++;
  return right / predicted.length;
}
