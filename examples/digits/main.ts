// A small convolutional network with batch normalization on the 8×8 handwritten digits: test accuracy and confusion matrix.
//
// Run:  npx tsx examples/digits/main.ts            (about 10 s: the whole training set, 15 epochs)
//       npx tsx examples/digits/main.ts --quick    (a few seconds: 500 training images, 8 epochs)
//
// The model is the classic pattern Conv2D → BatchNormalization → ReLU → MaxPooling2D → Flatten → Dense(softmax).
// The convolution has no bias: BatchNormalization subtracts the batch mean right after it, which would cancel
// any bias, and its own beta plays that role.
import {
  BatchNormalization, Conv2D, Dense, Flatten, MaxPooling2D, ReLU, Sequential, resetNames, setSeed,
} from 'tapegrad';
import { EpochPrinter, type ExampleOptions, cliOptions, isMain } from '../lib/example.js';
import { accuracyOf, argmaxRows, loadDigits } from '../lib/digits.js';

/** What the example found, for tests and for run-all.ts. */
export interface DigitsResult {
  /** Fraction of the held-out test images classified correctly. */
  testAccuracy: number;
  /** confusion[trueDigit][predictedDigit] = number of test images. */
  confusion: number[][];
  trainSize: number;
  testSize: number;
}

/** Builds the network for 8×8 grey images with one channel. */
export function buildModel(): Sequential {
  return new Sequential([
    new Conv2D(16, 3, { inputShape: [8, 8, 1], padding: 'same', useBias: false }), // 16 feature maps of 8×8
    new BatchNormalization(), // normalizes each of the 16 channels over the batch and the 8×8 positions
    new ReLU(),
    new MaxPooling2D({ poolSize: 2 }), // 8×8 → 4×4
    new Flatten(), // 4·4·16 = 256 features
    new Dense(10, { activation: 'softmax' }), // one probability per digit
  ]);
}

/** Trains the network, prints the test accuracy and the confusion matrix, and returns them. */
export async function main(options: ExampleOptions = {}): Promise<DigitsResult> {
  const log = options.log ?? console.log;
  const quick = options.quick ?? false;
  // Same seed, same run: the weights' initial values and the shuffling of the batches are reproducible.
  setSeed(42);
  resetNames(); // layer names start again at conv2d, dense, ... when main() runs twice in one process

  // 1. The data: pixels 0..16 scaled to 0..1, shaped [N, 8, 8, 1] (height, width, one channel).
  //    The split is fixed by its seed, so the test set is the same 359 images on every run.
  const { xTrain, yTrain, xTest, yTest } = loadDigits({ layout: 'images', seed: 0, maxTrain: quick ? 500 : undefined });
  log(`digits: ${xTrain.shape[0]} training and ${xTest.shape[0]} test images of 8×8 pixels${quick ? ' (quick run)' : ''}`);

  // 2. The model. The labels are class indices (0..9), so the loss is the *sparse* categorical cross-entropy.
  const model = buildModel();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  model.summary(log);

  // 3. Training. 10% of the training images are held out to watch for overfitting (val_accuracy).
  //    Expect val_loss to fall more slowly than loss in the first epochs: validation runs in inference mode, with
  //    BatchNormalization's moving averages, which start at mean 0 and variance 1 and move only 1% a step
  //    (momentum 0.99) towards the batch statistics. Until they catch up the predictions are right but timid.
  const epochs = quick ? 8 : 15;
  log(`\ntraining for ${epochs} epochs, batches of 32:`);
  await model.fit(xTrain, yTrain, {
    epochs, batchSize: 32, validationSplit: 0.1, seed: 1, verbose: 0, callbacks: [new EpochPrinter(log)],
  });

  // 4. Test accuracy on images the model never saw. predict() runs in inference mode, so
  //    BatchNormalization uses its moving averages instead of the statistics of the test batch.
  const predicted = argmaxRows(model.predict(xTest, { verbose: 0 }));
  const testAccuracy = accuracyOf(predicted, yTest);
  log(`\ntest accuracy: ${(100 * testAccuracy).toFixed(1)}% (${Math.round(testAccuracy * predicted.length)} of ${predicted.length})`);

  // 5. The confusion matrix: which digits are mistaken for which.
  const confusion = confusionMatrix(yTest.toTypedArray(), predicted, 10);
  log('\n' + formatConfusion(confusion));
  return { testAccuracy, confusion, trainSize: xTrain.shape[0], testSize: xTest.shape[0] };
}

/** counts[t][p]: how many samples of true class t were predicted as class p. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < predicted.length; i++) counts[labels[i]][predicted[i]]++;
  return counts;
}

/**
 * The matrix as text: rows are the true digits, columns the predicted ones, so the correct answers lie on the
 * diagonal (shown in brackets) and every other number is a mistake. Zeros print as dots to let mistakes stand out.
 */
export function formatConfusion(counts: number[][]): string {
  const k = counts.length;
  const cell = (v: number, diagonal: boolean): string => (diagonal ? `[${v}]` : v === 0 ? '·' : String(v)).padStart(5);
  const lines = ['confusion matrix (rows: true digit, columns: predicted digit)', '      ' + counts.map((_, j) => String(j).padStart(5)).join('') + '  recall'];
  counts.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const recall = total === 0 ? '   -' : `${((100 * row[i]) / total).toFixed(0).padStart(3)}%`;
    lines.push(`  ${String(i).padStart(2)}  ` + row.map((v, j) => cell(v, i === j)).join('') + `  ${recall}`);
  });
  // The most frequent mistake, in words.
  let worst = { t: 0, p: 0, n: 0 };
  for (let t = 0; t < k; t++) for (let p = 0; p < k; p++) if (t !== p && counts[t][p] > worst.n) worst = { t, p, n: counts[t][p] };
  const a = (digit: number): string => (digit === 8 ? `an ${digit}` : `a ${digit}`);
  lines.push(worst.n === 0 ? 'no mistakes' : `most frequent mistake: ${a(worst.t)} read as ${a(worst.p)} (${worst.n === 1 ? 'once' : `${worst.n} times`})`);
  return lines.join('\n');
}

if (isMain(import.meta.url)) await main(cliOptions());
