// The fit loop: epochs of shuffled batches, a validation pass per epoch, and callbacks at every step (Keras's fit).
import type { Tensor } from '@tapegrad/tensor';
import { CallbackList, type Callback, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import type { Model } from './model.js';
import { type Compiled, logsOf, resetMetrics } from './compiled.js';
import {
  type DataLike, asTensor, checkFiniteData, checkSameLength, classWeightsToSampleWeights, epochBatches, rowRange, shuffleRandom, takeRows,
} from './data.js';
import { evaluateBatches } from './inference.js';
import { TrainableWeights, trainStep } from './steps.js';

/** Options of {@link Model.fit} (Keras's keyword arguments, camelCased). */
export interface FitOptions {
  /** Samples per gradient step; default 32. The last batch of an epoch may be smaller. */
  batchSize?: number;
  /** Train until this epoch index; default 1. */
  epochs?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch; default 1 ('auto'). */
  verbose?: 0 | 1 | 2 | 'auto';
  /** Callbacks, called in order before History and the progress bar (unless given here). */
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

/** Training and validation arrays. */
interface Arrays {
  x: Tensor;
  y: Tensor;
  w: Tensor | null;
}

/** An integer of at least 1, or an error naming the method and option. */
export function positiveInt(v: number, method: string, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${method}: ${name} must be an integer of at least 1, got ${v}`);
  return v;
}

/** Keras's verbose: 'auto' means 1. */
export function verboseLevel(v: 0 | 1 | 2 | 'auto' | undefined): number {
  return v === undefined || v === 'auto' ? 1 : v;
}

/** Checks fit's data and options, splits off the validation data, and returns the arrays to train on. */
function prepare(model: Model, x: DataLike, y: DataLike, options: FitOptions): { train: Arrays; val: Arrays | null } {
  if (options.classWeight && options.sampleWeight !== undefined) throw new Error('fit: pass classWeight or sampleWeight, not both');
  const train: Arrays = {
    x: asTensor(x, model.dtype, 'fit'),
    y: asTensor(y, model.dtype, 'fit'),
    w: options.sampleWeight === undefined ? null : asTensor(options.sampleWeight, model.dtype, 'fit'),
  };
  const n = checkSameLength('fit', { x: train.x, y: train.y, sampleWeight: train.w });
  if (options.checkFinite) {
    checkFiniteData('fit', 'x', train.x);
    checkFiniteData('fit', 'y', train.y);
    if (train.w) checkFiniteData('fit', 'sampleWeight', train.w);
  }
  let val: Arrays | null = null;
  if (options.validationData) {
    const [vx, vy, vw] = options.validationData;
    val = { x: asTensor(vx, model.dtype, 'fit'), y: asTensor(vy, model.dtype, 'fit'), w: vw === undefined ? null : asTensor(vw, model.dtype, 'fit') };
    checkSameLength('fit (validationData)', { x: val.x, y: val.y, sampleWeight: val.w });
  } else if (options.validationSplit !== undefined && options.validationSplit > 0) {
    // Keras: split_at = floor(n·(1 - f)); the validation samples are the last ones, taken before any shuffling.
    const f = options.validationSplit;
    const at = Math.floor(n * (1 - f));
    if (!(f < 1) || at === 0 || at === n) {
      throw new Error(`fit: validationSplit ${f} leaves ${at} training and ${n - at} validation samples of ${n}; both must be at least 1`);
    }
    const part = (t: Tensor | null, from: number, to: number): Tensor | null => (t ? rowRange(t, from, to) : null);
    val = { x: rowRange(train.x, at, n), y: rowRange(train.y, at, n), w: part(train.w, at, n) };
    Object.assign(train, { x: rowRange(train.x, 0, at), y: rowRange(train.y, 0, at), w: part(train.w, 0, at) });
  }
  if (options.classWeight) train.w = classWeightsToSampleWeights(train.y, options.classWeight);
  if (!model.built) model.buildFor([null, ...train.x.shape.slice(1)]);
  return { train, val };
}

/**
 * Trains `model` as Keras's fit does and returns the History: for each epoch from `initialEpoch` to
 * `epochs`, fresh metric states, shuffled batches each taking one optimizer step, running means reported
 * after each batch, then (every `validationFreq` epochs) a validation pass in inference mode whose
 * results are added as `val_*`. `model.stopTraining` ends the loop after the current batch.
 */
export async function fitModel(model: Model, c: Compiled, x: DataLike, y: DataLike, options: FitOptions): Promise<History> {
  const batchSize = positiveInt(options.batchSize ?? 32, 'fit', 'batchSize');
  const epochs = options.epochs ?? 1;
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new Error(`fit: initialEpoch must be a non-negative integer, got ${initialEpoch}`);
  const verbose = verboseLevel(options.verbose);
  const { train, val } = prepare(model, x, y, options);
  const given = options.callbacks ?? [];
  const history = given.find((cb): cb is History => cb instanceof History) ?? new History();
  const extra: Callback[] = [];
  if (!given.includes(history)) extra.push(history);
  if (verbose > 0 && !given.some((cb) => cb instanceof ProgbarLogger)) extra.push(new ProgbarLogger());
  const callbacks = new CallbackList([...given, ...extra]);
  callbacks.configure(model, { verbose, epochs, steps: Math.ceil(train.x.shape[0] / batchSize) });
  const rng = shuffleRandom(options.seed);
  model.stopTraining = false;
  await callbacks.call('onTrainBegin', {});
  let epochLogs: Logs = {};
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    resetMetrics(c);
    await callbacks.callAt('onEpochBegin', epoch, {});
    let seen = 0;
    let lossSum = 0;
    const batches = epochBatches(train.x.shape[0], batchSize, options.shuffle ?? true, rng);
    const weights = new TrainableWeights(model);
    for (let b = 0; b < batches.length && !model.stopTraining; b++) {
      await callbacks.callAt('onTrainBatchBegin', b, {});
      const idx = batches[b];
      const loss = trainStep(model, c, takeRows(train.x, idx), takeRows(train.y, idx), train.w ? takeRows(train.w, idx) : null, weights);
      lossSum += loss * idx.length; // the epoch's loss: batch losses weighted by batch size
      seen += idx.length;
      await callbacks.callAt('onTrainBatchEnd', b, logsOf(lossSum / seen, c));
    }
    epochLogs = logsOf(seen > 0 ? lossSum / seen : NaN, c);
    // Keras validates on absolute epoch numbers: epoch + 1 divisible by validationFreq, whatever initialEpoch is.
    if (val !== null && (epoch + 1) % (options.validationFreq ?? 1) === 0) {
      const pending: Promise<void>[] = [];
      const v = evaluateBatches(model, c, val, options.validationBatchSize ?? batchSize, callbacks, pending);
      await Promise.all(pending);
      for (const [k, value] of Object.entries(v)) epochLogs[`val_${k}`] = value;
    }
    await callbacks.callAt('onEpochEnd', epoch, epochLogs);
  }
  await callbacks.call('onTrainEnd', epochLogs);
  return history;
}
