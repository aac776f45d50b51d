// EarlyStopping (keras/src/callbacks/early_stopping.py), and the monitor rules it shares with ReduceLROnPlateau and
// ModelCheckpoint (Keras's MonitorCallback): which direction is better, and the option-name check.
import type { Tensor } from '@tapegrad/tensor';
import type { Model } from '../models/model.js';
import { Callback, type Logs } from './callback.js';
import { printMsg } from './progbar.js';

/** 'min': lower is better; 'max': higher is better; 'auto': 'min' for a loss, else the metric's own direction (accuracy-like metrics up, error-like down); an unknown name is an error. */
export type MonitorMode = 'auto' | 'min' | 'max';

// Keras metrics' `_direction`, by the name they log under (the class default or the compile shorthand).
const UP = new Set([
  'accuracy', 'acc', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'top_k_categorical_accuracy',
  'sparse_top_k_categorical_accuracy', 'auc', 'precision', 'recall', 'true_positives', 'true_negatives', 'f1_score',
  'fbeta_score', 'r2_score', 'iou', 'mean_iou', 'binary_iou', 'one_hot_iou', 'one_hot_mean_iou', 'cosine_similarity',
]);
const DOWN = new Set([
  'mean_squared_error', 'mse', 'mean_absolute_error', 'mae', 'mean_absolute_percentage_error', 'mape',
  'mean_squared_logarithmic_error', 'msle', 'root_mean_squared_error', 'logcosh', 'binary_crossentropy',
  'categorical_crossentropy', 'sparse_categorical_crossentropy', 'kl_divergence', 'poisson', 'hinge', 'squared_hinge',
  'categorical_hinge', 'false_positives', 'false_negatives',
]);

/** What a compiled metric may tell about itself. */
interface MetricLike {
  name: string;
  direction?: unknown;
}

/**
 * The direction of `monitor`: `mode` when 'min' or 'max'; for 'auto', min for `loss`/`val_loss`, else the direction of the
 * compiled metric of that name (its `direction` 'up'/'down' if it has one, else Keras's direction for the name:
 * accuracy-like max, error-like min), else an Error, as Keras's `MonitorCallback._set_monitor_op`.
 * @example `monitorDirection('EarlyStopping', 'val_accuracy', 'auto', model)` is `'max'`
 */
export function monitorDirection(callback: string, monitor: string, mode: MonitorMode, model: Model | null): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  const name = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  if (name === 'loss') return 'min';
  const metrics: readonly MetricLike[] = model !== null && model.isCompiled ? model.metrics : [];
  const own = metrics.find((m) => m.name === name)?.direction;
  if (own === 'up' || own === 'down') return own === 'up' ? 'max' : 'min';
  if (UP.has(name)) return 'max';
  if (DOWN.has(name)) return 'min';
  throw new Error(
    `${callback}: cannot tell whether monitor '${monitor}' should be maximized or minimized; ` +
      `pass mode: 'max' to keep the highest value or mode: 'min' to keep the lowest`,
  );
}

/**
 * Keras's improvement test: `current + |minDelta| < reference` for min, `current - |minDelta| > reference` for max.
 * @example `isImprovement(0.95, 1.0, 'min', 0.1)` is false: 0.95 + 0.1 is not below 1.0
 */
export function isImprovement(current: number, reference: number, direction: 'min' | 'max', minDelta: number): boolean {
  return direction === 'min' ? current + Math.abs(minDelta) < reference : current - Math.abs(minDelta) > reference;
}

/**
 * Refuses option names a callback does not know (Keras raises TypeError on unknown keyword arguments), suggesting the
 * camelCase name for a Python spelling.
 * @example `checkOptionNames('EarlyStopping', { min_delta: 0.1 }, ['minDelta'])` throws "... did you mean 'minDelta'?"
 */
export function checkOptionNames(callback: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint = allowed.includes(camel) ? ` (did you mean '${camel}'?)` : '';
    throw new Error(`${callback}: unknown option '${key}'${hint}; valid options: ${allowed.join(', ')}`);
  }
}

/**
 * A valid mode, or 'auto' with a warning for anything else (Keras warns and falls back).
 * @example `checkMode('EarlyStopping', 'maximum')` warns and returns `'auto'`
 */
export function checkMode(callback: string, mode: string | undefined): MonitorMode {
  if (mode === undefined || mode === 'auto' || mode === 'min' || mode === 'max') return mode ?? 'auto';
  console.warn(`${callback}: mode '${mode}' is unknown, fallback to auto mode.`);
  return 'auto';
}

/**
 * The callback's model, or an Error saying fit sets it.
 * @example `requireModel(this, 'EarlyStopping').stopTraining = true`
 */
export function requireModel(callback: Callback, name: string): Model {
  if (callback.model === null) throw new Error(`${name}: no model; fit (or setModel) sets it before the first hook`);
  return callback.model;
}

/** Options of {@link EarlyStopping} (Keras's arguments, camelCased). */
export interface EarlyStoppingOptions {
  /** The logged quantity to watch; default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement (its absolute value is used); default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping; default 0. */
  patience?: number;
  /** 1 prints when stopping and restoring; default 0. */
  verbose?: number;
  /** Default 'auto'. */
  mode?: MonitorMode;
  /** A value the monitored quantity must beat before patience restarts; default null. */
  baseline?: number | null;
  /** At train end, set the weights of the best epoch (even without an early stop); default false. */
  restoreBestWeights?: boolean;
  /** Epochs of warm-up that are not monitored; default 0. */
  startFromEpoch?: number;
}

const OPTIONS = ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch'];

/**
 * Stops fit when `monitor` stops improving (Keras `callbacks.EarlyStopping`). From `startFromEpoch` on, each epoch
 * `wait += 1`; an improvement (better than the best by more than `minDelta`) stores the best and resets `wait = 0` when it also beats
 * `baseline`; otherwise fit stops once `wait >= patience` and `epoch > 0`. With `restoreBestWeights` the weights are
 * snapshot at the first monitored epoch and at each improvement, and the best are set back at train end.
 * A missing monitor key warns once and the epoch is skipped.
 * @example
 * ```ts
 * const stop = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
 * const history = await model.fit(x, y, { epochs: 100, validationSplit: 0.2, callbacks: [stop] });
 * stop.stoppedEpoch; // the 0-based epoch fit stopped after, 0 if it ran to the end
 * ```
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: MonitorMode;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement (counting the current one). */
  wait = 0;
  /** The epoch (0-based) training was stopped after; 0 when it was not. */
  stoppedEpoch = 0;
  /** The best monitored value; null before the first monitored epoch. */
  best: number | null = null;
  /** The epoch (0-based) of the best value. */
  bestEpoch = 0;
  /** The weights of the best epoch, kept with restoreBestWeights. */
  bestWeights: Tensor[] | null = null;
  private direction: 'min' | 'max' | null = null;
  private warned = false;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    checkOptionNames('EarlyStopping', options, OPTIONS);
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.verbose = options.verbose ?? 0;
    this.mode = checkMode('EarlyStopping', options.mode);
    this.baseline = options.baseline ?? null;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
  }

  override onTrainBegin(): void {
    // Allow instances to be re-used across fits.
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.bestWeights = null;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const model = requireModel(this, 'EarlyStopping');
    this.direction ??= monitorDirection('EarlyStopping', this.monitor, this.mode, model);
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) console.warn(`Early stopping conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${Object.keys(logs).join(',')}`);
      this.warned = true;
      return;
    }
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = model.getWeights(); // the first monitored epoch is the best so far
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    const best = this.best ?? (this.direction === 'min' ? Infinity : -Infinity);
    if (isImprovement(current, best, this.direction, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = model.getWeights();
      // Restart patience only when the baseline is beaten too.
      if (this.baseline === null || isImprovement(current, this.baseline, this.direction, this.minDelta)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) printMsg(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) printMsg(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      requireModel(this, 'EarlyStopping').setWeights(this.bestWeights);
    }
  }
}
