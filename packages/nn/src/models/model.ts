// Model: a layer that trains. compile() picks optimizer, loss and metrics; fit/evaluate/predict run them over batches.
import { type Tensor, kernels } from '@tapegrad/tensor';
import { GradientTape, add, noGrad } from '@tapegrad/autograd';
import { Callback, CallbackList, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { Layer, type SymbolicShape } from '../layer.js';
import { type Loss, type LossIdentifier, getLoss } from '../losses/index.js';
import { type Metric, type MetricIdentifier, getMetric } from '../metrics/index.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { type OptimizerIdentifier, getOptimizer } from '../optimizers/get-optimizer.js';
import {
  type DataLike, asTensor, checkFiniteData, checkSameLength, classWeightsToSampleWeights, epochBatches, rowRange, shuffleRandom, takeRows,
} from './data.js';
import { summaryText } from './summary.js';
// Type-only: model-io imports this module, so its functions are loaded with import() inside the methods below.
import type { SaveModelOptions } from '../serialization/model-io.js';

/** Options of {@link Model.compile}. */
export interface CompileOptions {
  /** An optimizer or its name; default 'rmsprop' (Keras). */
  optimizer?: OptimizerIdentifier;
  /** The loss to minimize: a name ('binary_crossentropy' / 'binaryCrossentropy', 'mse', ...) or a Loss. */
  loss: LossIdentifier;
  /** Metrics to report; sample and class weights do not apply to them. 'accuracy' resolves from the shapes. */
  metrics?: readonly MetricIdentifier[];
  /** Metrics that do take sample and class weights into account. */
  weightedMetrics?: readonly MetricIdentifier[];
}

/** Options of {@link Model.fit} (Keras's keyword arguments, camelCased). */
export interface FitOptions {
  /** Samples per gradient step; default 32. The last batch of an epoch may be smaller. */
  batchSize?: number;
  /** Train until this epoch index; default 1. */
  epochs?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch; default 1 ('auto'). */
  verbose?: 0 | 1 | 2 | 'auto';
  /** Callbacks, called in order before History and the progress bar. */
  callbacks?: readonly Callback[];
  /** Fraction of the data held out for validation: the LAST samples, taken before shuffling. */
  validationSplit?: number;
  /** Validation data `[x, y]` or `[x, y, sampleWeight]`; overrides validationSplit. */
  validationData?: readonly [DataLike, DataLike] | readonly [DataLike, DataLike, DataLike];
  /** Shuffle the training samples each epoch (true, default), keep batches but shuffle inside them ('batch'), or not. */
  shuffle?: boolean | 'batch';
  /** Weight of each class in the loss: `{ 0: 1, 1: 5 }`. Not together with sampleWeight. */
  classWeight?: Readonly<Record<number, number>>;
  /** One weight per sample for the loss. */
  sampleWeight?: DataLike;
  /** The epoch to start at (to resume training); default 0. */
  initialEpoch?: number;
  /** Samples per validation batch; default batchSize. */
  validationBatchSize?: number;
  /** Validate every this many epochs; default 1. */
  validationFreq?: number;
  /** Seed of the shuffling order; default the global stream (setSeed). */
  seed?: number;
  /** Refuse NaN or infinite values in x, y and weights before training; default false. */
  checkFinite?: boolean;
}

/** Options of {@link Model.evaluate}. */
export interface EvaluateOptions {
  /** Default 32. */
  batchSize?: number;
  /** 0 silent, 1 progress bar; default 1 ('auto'). */
  verbose?: 0 | 1 | 2 | 'auto';
  /** One weight per sample for the loss and weighted metrics. */
  sampleWeight?: DataLike;
  /** Callbacks that see the test hooks. */
  callbacks?: readonly Callback[];
}

/** Options of {@link Model.predict}. */
export interface PredictOptions {
  /** Default 32. */
  batchSize?: number;
  /** 0 silent, 1 one-line progress bar; default 0 here (Keras prints one; set 1 for it). */
  verbose?: 0 | 1 | 'auto';
  /** Callbacks that see the predict hooks. */
  callbacks?: readonly Callback[];
}

interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  metrics: Metric[];
  weightedMetrics: Metric[];
}

/**
 * A layer with a training loop. Subclass it and implement `call` for a custom model, or use
 * {@link Sequential}. After `compile`, `fit` trains with Keras's semantics and returns a {@link History}.
 */
export abstract class Model extends Layer {
  /** Set to true (by a callback) to end fit after the current batch. */
  stopTraining = false;
  private compiled: Compiled | null = null;
  private compileArgs: CompileOptions | null = null;

  /** The compiled optimizer (after compile). */
  get optimizer(): Optimizer {
    return this.requireCompiled('optimizer').optimizer;
  }

  /** The compiled loss (after compile). */
  get loss(): Loss {
    return this.requireCompiled('loss').loss;
  }

  /** The compiled metrics, unweighted then weighted (after compile). */
  get metrics(): Metric[] {
    const c = this.requireCompiled('metrics');
    return [...c.metrics, ...c.weightedMetrics];
  }

  /**
   * Prints Keras's summary table: each layer's name and type, output shape and parameter count, then the
   * total, trainable and non-trainable counts (and the optimizer's, once it has state).
   * @example `model.summary()` prints `dense (Dense) │ (None, 50) │ 150` ... ` Total params: 401 (1.57 KB)`
   */
  summary(print: (line: string) => void = console.log): void {
    print(summaryText({
      name: this.name,
      layers: this.summaryLayers(),
      built: this.built,
      layerOutputShapes: () => this.summaryOutputShapes(),
      trainableWeights: this.trainableWeights,
      nonTrainableWeights: this.nonTrainableWeights,
    }, this.optimizerParams()));
  }

  /** The layers listed by summary(): the layers held in the model's properties (Sequential: its stack). */
  protected summaryLayers(): Layer[] {
    return this.sublayers();
  }

  /** Each summary layer's output shape, when known (Sequential computes them; a subclassed model shows '?'). */
  protected summaryOutputShapes(): SymbolicShape[] {
    return [];
  }

  /** The optimizer's variables as Keras counts them (slots, iteration, learning rate), once it has built slots. */
  private optimizerParams(): { count: number; bytes: number } | null {
    const opt = this.compiled?.optimizer;
    if (!opt || opt.variables.length === 0) return null;
    let count = 2; // iteration (int64) and learning_rate (float32)
    let bytes = 8 + 4;
    for (const v of opt.variables) {
      for (const name of opt.slotNames) {
        const slot = opt.getSlot(v, name);
        if (slot) {
          count += slot.length;
          bytes += slot.length * slot.BYTES_PER_ELEMENT;
        }
      }
    }
    return { count, bytes };
  }

  /** Whether compile() has been called. */
  get isCompiled(): boolean {
    return this.compiled !== null;
  }

  /**
   * Configures training: the optimizer, the loss and the metrics.
   * @example `model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] })`
   */
  compile(options: CompileOptions): void {
    if (options === undefined || options.loss === undefined) throw new Error(`${this.name}: compile needs a loss, e.g. { loss: 'mse' }`);
    this.compiled = {
      optimizer: getOptimizer(options.optimizer ?? 'rmsprop'),
      loss: getLoss(options.loss),
      metrics: (options.metrics ?? []).map((m) => getMetric(m)),
      weightedMetrics: (options.weightedMetrics ?? []).map((m) => getMetric(m)),
    };
    this.compileArgs = { ...options };
  }

  /**
   * The options of the last compile() as given (names stay names, objects stay objects), or null before compile;
   * saveModel records them.
   * @example `model.compileOptions?.loss // 'binary_crossentropy'`
   */
  get compileOptions(): CompileOptions | null {
    return this.compileArgs;
  }

  /**
   * The input shape the model was built for (batch dimension null), or null before it is built (Keras's
   * `get_build_config`); loadModel builds a rebuilt model with it.
   * @example `model.getBuildConfig() // { inputShape: [null, 2] }`
   */
  getBuildConfig(): { inputShape: (number | null)[] } | null {
    return this.built && this.builtInputShape !== null ? { inputShape: [...this.builtInputShape] } : null;
  }

  /**
   * Saves the model to the directory `dir`: model.json (class, config, compile settings, weight manifest),
   * weights.bin, and optimizer.bin with `includeOptimizer` (format in serialization/model-io.ts). Atomic per file.
   * @example `await model.save('runs/circles', { includeOptimizer: true }); const copy = await loadModel('runs/circles');`
   */
  async save(dir: string, options: SaveModelOptions = {}): Promise<void> {
    const { saveModel } = await import('../serialization/model-io.js');
    await saveModel(this, dir, options);
  }

  /**
   * Saves the weights alone, in {@link weights} order, to one file (atomically).
   * @example `await model.saveWeights('checkpoints/best.weights.bin')`
   */
  async saveWeights(path: string): Promise<void> {
    const { saveWeights } = await import('../serialization/model-io.js');
    await saveWeights(this, path);
  }

  /**
   * Loads weights saved by {@link saveWeights} (or a {@link save} directory) into this model, after checking every
   * shape; on any error the model is unchanged.
   * @example `await model.loadWeights('checkpoints/best.weights.bin')`
   */
  async loadWeights(path: string): Promise<void> {
    const { loadWeights } = await import('../serialization/model-io.js');
    await loadWeights(this, path);
  }

  /**
   * Trains for `epochs` epochs on (x, y) and returns the History of per-epoch losses and metrics
   * (keys `loss`, `accuracy`, `val_loss`, `val_accuracy`, ... as Keras).
   * @throws Error before training for data that does not fit (see the options).
   */
  async fit(x: DataLike, y: DataLike, options: FitOptions = {}): Promise<History> {
    const c = this.requireCompiled('fit');
    const data = this.prepareFit(x, y, options);
    const { batchSize, epochs, initialEpoch, verbose } = data;
    const history = new History();
    const callbacks = new CallbackList([...(options.callbacks ?? []), history, ...(verbose > 0 ? [new ProgbarLogger()] : [])]);
    const steps = Math.ceil(data.x.shape[0] / batchSize);
    callbacks.configure(this, { verbose, epochs, steps });
    const rng = shuffleRandom(options.seed);
    this.stopTraining = false;
    await callbacks.call('onTrainBegin', {});
    let epochLogs: Logs = {};
    for (let epoch = initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
      for (const m of [...c.metrics, ...c.weightedMetrics]) m.resetState();
      await callbacks.callAt('onEpochBegin', epoch, {});
      let seen = 0;
      let lossSum = 0;
      const batches = epochBatches(data.x.shape[0], batchSize, options.shuffle ?? true, rng);
      for (let b = 0; b < batches.length && !this.stopTraining; b++) {
        await callbacks.callAt('onTrainBatchBegin', b, {});
        const idx = batches[b];
        const loss = this.trainStep(takeRows(data.x, idx), takeRows(data.y, idx), data.w ? takeRows(data.w, idx) : null);
        lossSum += loss * idx.length; // Keras's epoch loss: batch losses weighted by batch size
        seen += idx.length;
        await callbacks.callAt('onTrainBatchEnd', b, this.logs(lossSum / seen, c));
      }
      epochLogs = this.logs(lossSum / Math.max(seen, 1), c);
      const validate = data.val !== null && (epoch + 1 - initialEpoch) % (options.validationFreq ?? 1) === 0;
      if (validate && data.val !== null) {
        const v = this.evaluateLogs(data.val.x, data.val.y, data.val.w, options.validationBatchSize ?? batchSize, null);
        for (const [k, value] of Object.entries(v)) epochLogs[`val_${k}`] = value;
      }
      await callbacks.callAt('onEpochEnd', epoch, epochLogs);
    }
    await callbacks.call('onTrainEnd', epochLogs);
    return history;
  }

  /**
   * One gradient step on one batch: forward in training mode on a tape, loss plus regularization,
   * gradients, optimizer update, metric updates. Returns the batch's loss.
   */
  trainStep(x: Tensor, y: Tensor, sampleWeight: Tensor | null = null): number {
    const c = this.requireCompiled('trainStep');
    const tape = new GradientTape();
    let yPred: Tensor | null = null;
    const loss = tape.run(() => {
      yPred = this.apply(x, { training: true });
      return this.totalLoss(c, y, yPred, sampleWeight);
    });
    const weights = this.trainableWeights;
    const grads = tape.gradient(loss, weights);
    c.optimizer.applyGradients(weights.map((w, i) => [grads[i], w] as const));
    const predicted = yPred as unknown as Tensor;
    for (const m of c.metrics) m.updateState(y, predicted, null);
    for (const m of c.weightedMetrics) m.updateState(y, predicted, sampleWeight);
    return loss.item();
  }

  /**
   * The loss on (x, y) in inference mode, and the metrics: the loss alone when there are no metrics,
   * else `[loss, ...metrics]` (Keras's order).
   */
  evaluate(x: DataLike, y: DataLike, options: EvaluateOptions = {}): number | number[] {
    const c = this.requireCompiled('evaluate');
    const xt = asTensor(x, this.dtype, 'evaluate');
    const yt = asTensor(y, this.dtype, 'evaluate');
    const w = options.sampleWeight === undefined ? null : asTensor(options.sampleWeight, this.dtype, 'evaluate');
    checkSameLength('evaluate', { x: xt, y: yt, sampleWeight: w });
    const logs = this.evaluateLogs(xt, yt, w, positiveInt(options.batchSize ?? 32, 'evaluate', 'batchSize'), verboseLevel(options.verbose));
    const names = ['loss', ...[...c.metrics, ...c.weightedMetrics].map((m) => m.name)];
    const values = names.map((n) => logs[n]);
    return values.length === 1 ? values[0] : values;
  }

  /**
   * Like {@link evaluate}, but returns a dict keyed by name (`{ loss, accuracy }`).
   */
  evaluateDict(x: DataLike, y: DataLike, options: EvaluateOptions = {}): Logs {
    const values = this.evaluate(x, y, options);
    const c = this.requireCompiled('evaluate');
    const names = ['loss', ...[...c.metrics, ...c.weightedMetrics].map((m) => m.name)];
    const list = typeof values === 'number' ? [values] : values;
    return Object.fromEntries(names.map((n, i) => [n, list[i]]));
  }

  /**
   * The model's outputs for x in inference mode, batch by batch, as one tensor.
   * @example `model.predict(x).shape` is `[x.shape[0], 1]` for a one-output model
   */
  predict(x: DataLike, options: PredictOptions = {}): Tensor {
    const xt = asTensor(x, this.dtype, 'predict');
    const batchSize = positiveInt(options.batchSize ?? 32, 'predict', 'batchSize');
    const outs: Tensor[] = [];
    noGrad(() => {
      for (let start = 0; start < xt.shape[0]; start += batchSize) {
        outs.push(this.apply(rowRange(xt, start, Math.min(xt.shape[0], start + batchSize)), { training: false }));
      }
    });
    if (outs.length === 0) return this.apply(xt, { training: false });
    return outs.length === 1 ? outs[0] : kernels.concat(outs, 0);
  }

  /** The model's outputs for one batch, in inference mode, without batching. */
  predictOnBatch(x: DataLike): Tensor {
    return noGrad(() => this.apply(asTensor(x, this.dtype, 'predictOnBatch'), { training: false }));
  }

  /** One training step on one batch; returns the batch's logs (loss and metrics). */
  trainOnBatch(x: DataLike, y: DataLike, sampleWeight?: DataLike): Logs {
    const c = this.requireCompiled('trainOnBatch');
    for (const m of [...c.metrics, ...c.weightedMetrics]) m.resetState();
    const xt = asTensor(x, this.dtype, 'trainOnBatch');
    const yt = asTensor(y, this.dtype, 'trainOnBatch');
    const w = sampleWeight === undefined ? null : asTensor(sampleWeight, this.dtype, 'trainOnBatch');
    checkSameLength('trainOnBatch', { x: xt, y: yt, sampleWeight: w });
    return this.logs(this.trainStep(xt, yt, w), c);
  }

  private totalLoss(c: Compiled, y: Tensor, yPred: Tensor, sampleWeight: Tensor | null): Tensor {
    const penalties = this.regularizationLosses();
    let loss = c.loss.compute(y, yPred, sampleWeight);
    for (const p of penalties) loss = add(loss, p);
    return loss;
  }

  /** The loss and every metric over (x, y) in inference mode, as logs. */
  private evaluateLogs(x: Tensor, y: Tensor, w: Tensor | null, batchSize: number, verbose: number | null): Logs {
    const c = this.requireCompiled('evaluate');
    for (const m of [...c.metrics, ...c.weightedMetrics]) m.resetState();
    let lossSum = 0;
    let seen = 0;
    noGrad(() => {
      for (let start = 0; start < x.shape[0]; start += batchSize) {
        const end = Math.min(x.shape[0], start + batchSize);
        const xb = rowRange(x, start, end);
        const yb = rowRange(y, start, end);
        const wb = w ? rowRange(w, start, end) : null;
        const yPred = this.apply(xb, { training: false });
        lossSum += this.totalLoss(c, yb, yPred, wb).item() * (end - start);
        seen += end - start;
        for (const m of c.metrics) m.updateState(yb, yPred, null);
        for (const m of c.weightedMetrics) m.updateState(yb, yPred, wb);
      }
    });
    void verbose;
    return this.logs(lossSum / Math.max(seen, 1), c);
  }

  /** Logs with keys in alphabetical order, as Keras 3 prints them (accuracy before loss). */
  private logs(loss: number, c: Compiled): Logs {
    const entries: [string, number][] = [['loss', loss], ...[...c.metrics, ...c.weightedMetrics].map((m) => [m.name, m.result()] as [string, number])];
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(entries);
  }

  private prepareFit(x: DataLike, y: DataLike, options: FitOptions) {
    const batchSize = positiveInt(options.batchSize ?? 32, 'fit', 'batchSize');
    const epochs = options.epochs ?? 1;
    const initialEpoch = options.initialEpoch ?? 0;
    if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
    if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new Error(`fit: initialEpoch must be a non-negative integer, got ${initialEpoch}`);
    if (options.classWeight && options.sampleWeight !== undefined) {
      throw new Error('fit: pass classWeight or sampleWeight, not both');
    }
    let xt = asTensor(x, this.dtype, 'fit');
    let yt = asTensor(y, this.dtype, 'fit');
    let w = options.sampleWeight === undefined ? null : asTensor(options.sampleWeight, this.dtype, 'fit');
    const n = checkSameLength('fit', { x: xt, y: yt, sampleWeight: w });
    if (options.checkFinite) {
      checkFiniteData('fit', 'x', xt);
      checkFiniteData('fit', 'y', yt);
      if (w) checkFiniteData('fit', 'sampleWeight', w);
    }
    let val: { x: Tensor; y: Tensor; w: Tensor | null } | null = null;
    if (options.validationData) {
      const [vx, vy, vw] = options.validationData;
      val = { x: asTensor(vx, this.dtype, 'fit'), y: asTensor(vy, this.dtype, 'fit'), w: vw === undefined ? null : asTensor(vw, this.dtype, 'fit') };
      checkSameLength('fit (validationData)', { x: val.x, y: val.y, sampleWeight: val.w });
    } else if (options.validationSplit !== undefined && options.validationSplit > 0) {
      const f = options.validationSplit;
      const splitAt = Math.floor(n * (1 - f));
      if (!(f < 1) || splitAt === 0 || splitAt === n) {
        throw new Error(`fit: validationSplit ${f} leaves ${splitAt} training and ${n - splitAt} validation samples of ${n}; both must be at least 1`);
      }
      val = { x: rowRange(xt, splitAt, n), y: rowRange(yt, splitAt, n), w: w ? rowRange(w, splitAt, n) : null };
      xt = rowRange(xt, 0, splitAt);
      yt = rowRange(yt, 0, splitAt);
      if (w) w = rowRange(w, 0, splitAt);
    }
    if (options.classWeight) w = classWeightsToSampleWeights(yt, options.classWeight);
    if (!this.built) this.buildFor([null, ...xt.shape.slice(1)]);
    return { x: xt, y: yt, w, val, batchSize, epochs, initialEpoch, verbose: verboseLevel(options.verbose) };
  }

  private requireCompiled(what: string): Compiled {
    if (this.compiled === null) {
      throw new Error(`${this.name}: call compile({ optimizer, loss, metrics }) before ${what}`);
    }
    return this.compiled;
  }
}

function positiveInt(v: number, method: string, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${method}: ${name} must be an integer of at least 1, got ${v}`);
  return v;
}

function verboseLevel(v: 0 | 1 | 2 | 'auto' | undefined): number {
  return v === undefined || v === 'auto' ? 1 : v;
}
