// A layer written from scratch: a weight-normalized Dense layer (w = g · v / ‖v‖), trained, saved and loaded back.
//
// Run:  npx tsx examples/custom-layer/main.ts            (a few seconds: 20 epochs on the digits)
//       npx tsx examples/custom-layer/main.ts --quick    (about a second: 500 training images, 5 epochs)
// Writes the saved model to out/model/ (model.json and weights.bin).
//
// Weight normalization (Salimans and Kingma, 2016) is one of the techniques the batch-normalization texts list as
// related: instead of normalizing the activations over the batch, it reparameterizes each output unit's weight
// vector as a direction v / ‖v‖ times a length g. Nothing depends on the batch, so training and inference agree.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ActivationIdentifier, Adam, Layer, type LayerConfig, type LayerOptions, type Shape, type SymbolicShape, type Tensor, type Variable,
  add, div, getActivation, gradCheck, loadModel, matmul, mul, randomNormal, registerLayer, resetNames, serializeActivation, setSeed,
  Sequential, sqrt, square, sum,
} from 'tapegrad';
import { EpochPrinter, type ExampleOptions, cliOptions, isMain, outputDir, shortPath } from '../lib/example.js';
import { accuracyOf, argmaxRows, loadDigits } from '../lib/digits.js';

/** Options of {@link WeightNormDense}: the number of units, an activation, and what every layer takes. */
export interface WeightNormDenseOptions extends LayerOptions {
  units: number;
  /** A Keras activation name ('relu', 'softmax', ...); default linear. */
  activation?: ActivationIdentifier | null;
}

/**
 * A densely connected layer with a weight-normalized kernel:
 * y = activation(x · w + bias), with w[:, j] = g[j] · v[:, j] / ‖v[:, j]‖ for each output unit j.
 * The optimizer trains v (the direction), g (the length) and the bias; w is recomputed from them at every call.
 */
export class WeightNormDense extends Layer {
  // The name saved in model.json, and looked up by loadModel; stated here so that minifiers cannot change it.
  static readonly className = 'WeightNormDense';
  readonly units: number;
  readonly activation: ActivationIdentifier | null;
  /** The direction of each unit's weights, [inputDim, units]. */
  v!: Variable;
  /** The length of each unit's weights, [units]. */
  g!: Variable;
  bias!: Variable;

  // Only one argument, the options: the default fromConfig rebuilds the layer with `new WeightNormDense(config)`.
  constructor(options: WeightNormDenseOptions) {
    super(options);
    if (!(Number.isInteger(options.units) && options.units >= 1)) throw new Error(`WeightNormDense: units must be a positive integer, got ${options.units}`);
    this.units = options.units;
    this.activation = options.activation ?? null;
    getActivation(this.activation); // fail now, not at the first call, on an unknown activation name
  }

  /** Makes the weights, the first time the layer sees an input (its last axis gives inputDim). */
  override build(inputShape: SymbolicShape): void {
    const inputDim = inputShape.at(-1);
    if (typeof inputDim !== 'number') throw new Error(`${this.name}: the input needs a known last dimension`);
    this.v = this.addWeight('v', [inputDim, this.units], { initializer: 'glorot_uniform' });
    this.g = this.addWeight('g', [this.units], { initializer: 'ones' }); // every unit starts with ‖w‖ = 1
    this.bias = this.addWeight('bias', [this.units], { initializer: 'zeros' });
  }

  /** Refuses inputs whose last axis differs from the one the layer was built for, naming both. */
  protected override checkInput(shape: Shape): void {
    this.checkInputSpec(shape, { minRank: 2, axes: { [-1]: this.v.shape[0] } });
  }

  /** The math, with differentiable ops only: the tape records them, so no gradient needs writing by hand. */
  override call(x: Tensor): Tensor {
    return getActivation(this.activation)(add(matmul(x, this.kernel()), this.bias));
  }

  /** The effective kernel w = g · v / ‖v‖, [inputDim, units]. ‖v‖ is taken over the input axis (axis 0). */
  kernel(): Tensor {
    const norms = sqrt(sum(square(this.v), 0)); // [units]
    return mul(div(this.v, norms), this.g); // [inputDim, units] / [units] broadcasts over the input axis
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  /** What model.save writes for this layer; loadModel passes it back to the constructor. */
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), units: this.units, activation: serializeActivation(this.activation, this.name) };
  }
}

// Makes the class known to loadModel under its className (else loadModel asks for it in customObjects).
registerLayer(WeightNormDense);

/** What the example returns to tests and run-all.ts. */
export interface CustomLayerResult {
  testAccuracy: number;
  /** The largest |prediction of the loaded model - prediction of the trained model|: 0 when the round trip is exact. */
  maxPredictionDifference: number;
  /** The largest | ‖w[:, j]‖ - |g[j]| | over the first layer's units: weight normalization at work. */
  maxNormError: number;
  /** gradCheck's largest relative error for the layer in float64. */
  gradCheckError: number;
  modelDir: string;
}

export async function main(options: ExampleOptions = {}): Promise<CustomLayerResult> {
  const log = options.log ?? console.log;
  const quick = options.quick ?? false;
  setSeed(7);
  resetNames();

  // 1. Before training anything: are the layer's gradients right? (See checkGradients below.)
  const gradCheckError = checkGradients(log);

  // 2. A model made of two custom layers, trained on the digits (flattened to 64 features) like any other.
  const data = loadDigits({ layout: 'flat', seed: 0, maxTrain: quick ? 500 : undefined });
  const model = new Sequential([
    new WeightNormDense({ units: 32, activation: 'relu', inputShape: [64] }),
    new WeightNormDense({ units: 10, activation: 'softmax' }),
  ]);
  // A learning rate 10 times Keras's default: this small network needs far fewer epochs with it.
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  model.summary(log);
  const epochs = quick ? 5 : 20;
  log(`\ntraining on ${data.xTrain.shape[0]} images for ${epochs} epochs:`);
  await model.fit(data.xTrain, data.yTrain, { epochs, batchSize: 32, seed: 1, verbose: 0, callbacks: [new EpochPrinter(log, quick ? 1 : 5)] });
  const predictions = model.predict(data.xTest, { verbose: 0 });
  const testAccuracy = accuracyOf(argmaxRows(predictions), data.yTest);
  log(`test accuracy: ${(100 * testAccuracy).toFixed(1)}% on ${data.xTest.shape[0]} images`);

  // 3. Weight normalization at work: each column of the effective kernel has exactly the length |g|.
  const first = model.getLayer(0) as WeightNormDense;
  const columnNorms = sum(square(first.kernel()), 0).toTypedArray().map(Math.sqrt);
  const g = first.g.toTypedArray();
  const maxNormError = Math.max(...columnNorms.map((norm, j) => Math.abs(norm - Math.abs(g[j]))));
  log(`first layer: ‖w[:, j]‖ = |g[j]| for all 32 units (largest difference ${maxNormError.toExponential(1)}); g ranges over ` +
    `[${Math.min(...g).toFixed(2)}, ${Math.max(...g).toFixed(2)}]`);

  // 4. Save, load back, and compare the predictions.
  const modelDir = join(outputDir(import.meta.url, options.outDir), 'model');
  const maxPredictionDifference = await saveAndReload(model, modelDir, data.xTest, predictions, log);
  return { testAccuracy, maxPredictionDifference, maxNormError, gradCheckError, modelDir };
}

/**
 * gradCheck of the layer in float64: its input and its three weights (v, g, bias), against central differences.
 * Returns the largest relative error.
 */
function checkGradients(log: (line: string) => void): number {
  const probe = new WeightNormDense({ units: 3, activation: 'tanh', dtype: 'float64', name: 'probe' });
  probe.buildFor([null, 5]);
  const x = randomNormal([4, 5], { dtype: 'float64', seed: 1 });
  const report = gradCheck((input) => probe.apply(input), [x], { variables: probe.trainableWeights });
  log(`gradient check of WeightNormDense (input, v, g, bias):\n  ${report.toString()}\n`);
  return report.maxRelError;
}

/**
 * Saves the model to `dir`, loads it into a new model (loadModel finds WeightNormDense through registerLayer), and
 * returns the largest difference between the two models' predictions on x: 0 when the round trip is exact.
 */
async function saveAndReload(model: Sequential, dir: string, x: Tensor, predictions: Tensor, log: (line: string) => void): Promise<number> {
  await model.save(dir);
  const saved = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  log(`\nsaved to ${shortPath(dir)}: model.json (${statSync(join(dir, 'model.json')).size} bytes), weights.bin ` +
    `(${statSync(join(dir, 'weights.bin')).size} bytes); the first layer as saved:\n  ${JSON.stringify(saved.config.layers[0])}`);
  const loaded = await loadModel(dir);
  const again = loaded.predict(x, { verbose: 0 });
  const a = predictions.toTypedArray();
  const b = again.toTypedArray();
  const maxDifference = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  const classesAgain = argmaxRows(again);
  const sameClasses = argmaxRows(predictions).every((c, i) => c === classesAgain[i]);
  log(`loaded: ${loaded.className} of ${(loaded as Sequential).layers.map((l) => l.className).join(', ')}; ` +
    `largest difference in predicted probabilities ${maxDifference}, same predicted digits: ${sameClasses}`);
  return maxDifference;
}

if (isMain(import.meta.url)) await main(cliOptions());
