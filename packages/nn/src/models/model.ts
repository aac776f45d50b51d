// Model: a layer that trains. compile() picks optimizer, loss and metrics; fit/evaluate/predict run them over batches.
import type { Tensor } from '@tapegrad/tensor';
import { noGrad } from '@tapegrad/autograd';
import { type Callback, CallbackList, type Logs } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { Layer, type SymbolicShape } from '../layer.js';
import type { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { type CompileOptions, type Compiled, allMetrics, logsOf, resetMetrics, resolveCompile, resultNames } from './compiled.js';
import { type DataLike, asTensor, checkSameLength } from './data.js';
import { type FitOptions, fitModel, positiveInt, verboseLevel } from './fit.js';
import { evaluateBatches, predictBatches } from './inference.js';
import { testStep, trainStep } from './steps.js';
import { summaryText } from './summary.js';
// Type-only: model-io imports this module, so its functions are loaded with import() inside the methods below.
import type { SaveModelOptions } from '../serialization/model-io.js';

export type { CompileOptions } from './compiled.js';
export type { FitOptions } from './fit.js';

/** Options of {@link Model.evaluate}. */
export interface EvaluateOptions {
  /** Default 32. */
  batchSize?: number;
  /** 0 silent, 1 progress bar, 2 one line; default 1 ('auto'). */
  verbose?: 0 | 1 | 2 | 'auto';
  /** One weight per sample for the loss and weighted metrics. */
  sampleWeight?: DataLike;
  /** Callbacks that see the test hooks (they must be synchronous). */
  callbacks?: readonly Callback[];
}

/** Options of {@link Model.predict}. */
export interface PredictOptions {
  /** Default 32. */
  batchSize?: number;
  /** 0 silent, 1 a one-line progress bar; default 1 ('auto'), as Keras. */
  verbose?: 0 | 1 | 2 | 'auto';
  /** Callbacks that see the predict hooks (they must be synchronous). */
  callbacks?: readonly Callback[];
}

/**
 * A layer with a training loop. Subclass it and implement `call` for a custom model, or use
 * {@link Sequential}. After `compile`, `fit` trains with Keras's semantics and returns a {@link History}.
 */
export abstract class Model extends Layer {
  /** Set to true (by a callback) to end fit after the current batch. */
  stopTraining = false;
  /** The History of the last fit (Keras's `model.history`). */
  history: History | null = null;
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
    return allMetrics(this.requireCompiled('metrics'));
  }

  /** Whether compile() has been called. */
  get isCompiled(): boolean {
    return this.compiled !== null;
  }

  /**
   * Configures training: the optimizer (default 'rmsprop', as Keras), the loss and the metrics.
   * @example `model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] })`
   */
  compile(options: CompileOptions): void {
    if (options === undefined || options.loss === undefined) throw new Error(`${this.name}: compile needs a loss, e.g. { loss: 'mse' }`);
    this.compiled = resolveCompile(options);
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
   * Trains for `epochs` epochs on (x, y) and returns the History of per-epoch losses and metrics
   * (keys `loss`, `accuracy`, `val_loss`, `val_accuracy`, ... as Keras).
   * @throws Error before training for data that does not fit (see the options).
   * @example `const history = await model.fit(x, y, { epochs: 100, batchSize: 32, validationSplit: 0.3 })`
   */
  async fit(x: DataLike, y: DataLike, options: FitOptions = {}): Promise<History> {
    this.history = await fitModel(this, this.requireCompiled('fit'), x, y, options);
    return this.history;
  }

  /**
   * The loss on (x, y) in inference mode, and the metrics: the loss alone when there are no metrics,
   * else `[loss, ...metrics]` (Keras's order).
   * @example `const [loss, accuracy] = model.evaluate(x, y) as number[]`
   */
  evaluate(x: DataLike, y: DataLike, options: EvaluateOptions = {}): number | number[] {
    const logs = this.evaluateDict(x, y, options);
    const values = resultNames(this.requireCompiled('evaluate')).map((n) => logs[n]);
    return values.length === 1 ? values[0] : values;
  }

  /**
   * Like {@link evaluate}, but returns the results by name (Keras's `return_dict=True`).
   * @example `model.evaluateDict(x, y).accuracy`
   */
  evaluateDict(x: DataLike, y: DataLike, options: EvaluateOptions = {}): Logs {
    const c = this.requireCompiled('evaluate');
    const data = {
      x: asTensor(x, this.dtype, 'evaluate'),
      y: asTensor(y, this.dtype, 'evaluate'),
      w: options.sampleWeight === undefined ? null : asTensor(options.sampleWeight, this.dtype, 'evaluate'),
    };
    checkSameLength('evaluate', { x: data.x, y: data.y, sampleWeight: data.w });
    const batchSize = positiveInt(options.batchSize ?? 32, 'evaluate', 'batchSize');
    const callbacks = this.inferenceCallbacks(options.callbacks, verboseLevel(options.verbose), Math.ceil(data.x.shape[0] / batchSize));
    return evaluateBatches(this, c, data, batchSize, callbacks);
  }

  /**
   * The model's outputs for x in inference mode, batch by batch, as one tensor.
   * @example `model.predict(x).shape` is `[x.shape[0], 1]` for a one-output model
   */
  predict(x: DataLike, options: PredictOptions = {}): Tensor {
    const xt = asTensor(x, this.dtype, 'predict');
    const batchSize = positiveInt(options.batchSize ?? 32, 'predict', 'batchSize');
    const callbacks = this.inferenceCallbacks(options.callbacks, verboseLevel(options.verbose), Math.ceil(xt.shape[0] / batchSize));
    return predictBatches(this, xt, batchSize, callbacks);
  }

  /** The model's outputs for one batch, in inference mode, without batching. */
  predictOnBatch(x: DataLike): Tensor {
    return noGrad(() => this.apply(asTensor(x, this.dtype, 'predictOnBatch'), { training: false }));
  }

  /**
   * One training step on one batch (metrics reset first); returns the batch's logs.
   * @example `const { loss } = model.trainOnBatch(xb, yb)`
   */
  trainOnBatch(x: DataLike, y: DataLike, sampleWeight?: DataLike): Logs {
    const c = this.requireCompiled('trainOnBatch');
    const [xt, yt, w] = this.batchArrays('trainOnBatch', x, y, sampleWeight);
    resetMetrics(c);
    return logsOf(trainStep(this, c, xt, yt, w), c);
  }

  /** The loss and metrics of one batch in inference mode (metrics reset first). */
  testOnBatch(x: DataLike, y: DataLike, sampleWeight?: DataLike): Logs {
    const c = this.requireCompiled('testOnBatch');
    const [xt, yt, w] = this.batchArrays('testOnBatch', x, y, sampleWeight);
    resetMetrics(c);
    return logsOf(noGrad(() => testStep(this, c, xt, yt, w)), c);
  }

  /**
   * Prints Keras's summary table: each layer's name and type, output shape and parameter count, then the
   * total, trainable and non-trainable counts (and the optimizer's, once it has state).
   * @example `model.summary()` prints `dense (Dense) │ (None, 50) │ 150` ... ` Total params: 401 (1.57 KB)`
   */
  summary(print: (line: string) => void = console.log): void {
    const source = {
      name: this.name,
      layers: this.summaryLayers(),
      built: this.built,
      layerOutputShapes: () => this.summaryOutputShapes(),
      trainableWeights: this.trainableWeights,
      nonTrainableWeights: this.nonTrainableWeights,
    };
    print(summaryText(source, this.optimizerParams()));
  }

  /** The layers listed by summary(): the layers held in the model's properties (Sequential: its stack). */
  protected summaryLayers(): Layer[] {
    return this.sublayers();
  }

  /** Each summary layer's output shape, when known (Sequential computes them; a subclassed model shows '?'). */
  protected summaryOutputShapes(): SymbolicShape[] {
    return [];
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

  /** The callbacks of evaluate or predict: the user's, plus a progress bar when verbose (unless one was given). */
  private inferenceCallbacks(given: readonly Callback[] = [], verbose: number, steps: number): CallbackList {
    const bar = verbose > 0 && !given.some((cb) => cb instanceof ProgbarLogger) ? [new ProgbarLogger()] : [];
    const list = new CallbackList([...given, ...bar]);
    list.configure(this, { verbose, epochs: 1, steps });
    return list;
  }

  private batchArrays(method: string, x: DataLike, y: DataLike, sampleWeight?: DataLike): [Tensor, Tensor, Tensor | null] {
    const xt = asTensor(x, this.dtype, method);
    const yt = asTensor(y, this.dtype, method);
    const w = sampleWeight === undefined ? null : asTensor(sampleWeight, this.dtype, method);
    checkSameLength(method, { x: xt, y: yt, sampleWeight: w });
    return [xt, yt, w];
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

  private requireCompiled(what: string): Compiled {
    if (this.compiled === null) throw new Error(`${this.name}: call compile({ optimizer, loss, metrics }) before ${what}`);
    return this.compiled;
  }
}
