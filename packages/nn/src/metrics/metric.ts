// The Metric base class and MeanMetricWrapper, Keras's running mean of per-sample values (metrics/metric.py,
// metrics/reduction_metrics.py). Metrics compute with kernels, off the tape, into float64 accumulators.
import { type Tensor, formatShape, kernels } from '@tapegrad/tensor';
import { noGrad } from '@tapegrad/autograd';
import { squeezeOrExpandToSameRank } from '../losses/loss.js';

/** The JSON-able configuration of a metric. */
export type MetricConfig = { name: string; [key: string]: unknown };

/**
 * The base class of metrics (Keras `keras.metrics.Metric`): state updated batch by batch, read by `result`,
 * cleared by `resetState` (fit does so at each epoch's start).
 * @example
 * ```ts
 * m.resetState(); m.updateState(yTrue, yPred, null); m.result();
 * ```
 */
export abstract class Metric {
  /** The key of the metric in logs and History ('accuracy', 'val_accuracy'). */
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  /** Adds one batch to the state; `sampleWeight` (one weight per sample) or null. */
  abstract updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null): void;

  /** The metric's value over every batch since the last reset. */
  abstract result(): number;

  /** Forgets every batch. */
  abstract resetState(): void;

  /** The metric's configuration: `{ name }` plus the options of the subclass. */
  getConfig(): MetricConfig {
    return { name: this.name };
  }
}

/** A metric function: one value per sample (or per element), computed from labels and predictions. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Axes `from`, `from + 1`, ..., `to - 1`. */
const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/**
 * The sums a running mean adds for one batch (Keras's `reduce_to_samplewise_values` then `Mean.update_state`):
 * values are averaged down to one per sample; `total` is Σ value·w and `count` is Σ w (the number of samples
 * when there are no weights). Everything in float64.
 * @throws Error when the weights do not fit the values.
 * @example `batchTotals(tensor([1, 0, 1]), null, 'acc')` is `{ total: 2, count: 3 }`; with weights [1, 1, 2], `{ total: 3, count: 4 }`
 */
export function batchTotals(values: Tensor, sampleWeight: Tensor | null, metric: string): { total: number; count: number } {
  let v = kernels.cast(values, 'float64');
  if (sampleWeight === null) {
    if (v.rank > 1) v = kernels.mean(v, range(1, v.rank));
    return { total: kernels.sum(v).item(), count: v.rank >= 1 ? v.shape[0] : 1 };
  }
  let w = kernels.cast(sampleWeight, 'float64');
  [w, v] = squeezeOrExpandToSameRank(w, v, false);
  if (v.rank > w.rank) v = kernels.mean(v, range(w.rank, v.rank));
  if (w.rank > v.rank || !w.shape.every((d, i) => d === 1 || d === v.shape[i])) {
    throw new Error(`${metric}: sample weights ${formatShape(sampleWeight.shape)} do not fit the values ${formatShape(values.shape)}; pass one weight per sample`);
  }
  w = kernels.broadcastTo(w, v.shape);
  v = kernels.mul(v, w);
  if (v.rank > 1) {
    v = kernels.mean(v, range(1, v.rank));
    w = kernels.mean(w, range(1, w.rank));
  }
  return { total: kernels.sum(v).item(), count: kernels.sum(w).item() };
}

/** Options of {@link MeanMetricWrapper}. */
export interface MeanMetricWrapperOptions {
  /** Default the function's name. */
  name?: string;
}

/**
 * A metric that averages a per-sample function over every sample seen (Keras `keras.metrics.MeanMetricWrapper`):
 * `total += Σ fn(y, p)·w`, `count += Σ w` (w = 1 without weights), `result = total / count` (0 before any sample).
 * So an epoch's value is the mean over its samples, i.e. the batch values weighted by batch size.
 * The function runs without recording on any tape.
 * @example
 * ```ts
 * const m = new MeanMetricWrapper(meanSquaredError, { name: 'mse' });
 * m.updateState(tensor([[1], [2]]), tensor([[1], [4]]), null);
 * m.result(); // 2
 * ```
 */
export class MeanMetricWrapper extends Metric {
  readonly fn: MetricFn;
  private total = 0;
  private count = 0;

  constructor(fn: MetricFn, options: MeanMetricWrapperOptions = {}) {
    super(options.name ?? (fn.name || 'metric'));
    this.fn = fn;
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null = null): void {
    const values = noGrad(() => this.fn(yTrue, yPred));
    const { total, count } = batchTotals(values, sampleWeight, this.name);
    this.addTotals(total, count);
  }

  /** Adds one batch's Σ value·w and Σ w (for subclasses that count a batch without a tensor of values). */
  protected addTotals(total: number, count: number): void {
    this.total += total;
    this.count += count;
  }

  result(): number {
    return this.count === 0 ? 0 : this.total / this.count; // Keras's divide_no_nan
  }

  resetState(): void {
    this.total = 0;
    this.count = 0;
  }
}
