// Metrics by name (Keras `keras.metrics.get` and compile's `get_metric`), with 'accuracy' resolved from the shapes.
import type { Tensor } from '@tapegrad/tensor';
import { lookup } from '../identifiers.js';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from '../losses/crossentropy.js';
import { hinge, meanAbsoluteError, meanSquaredError } from '../losses/regression.js';
import { BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy.js';
import { MeanMetricWrapper, Metric, type MetricFn } from './metric.js';

/** A metric, its Keras name ('accuracy', 'mse', 'binary_crossentropy', ...) or a per-sample function. */
export type MetricIdentifier = string | Metric | MetricFn;

/**
 * Which accuracy a y_true / y_pred pair calls for (Keras 3 compile's `is_binary_or_sparse_categorical`): y_pred's last
 * dimension 1 → binary; else y_true of lower rank, or ending in 1 → sparse categorical; else categorical.
 * @example `accuracyKind(labels, probabilities)` is 'sparse_categorical' for labels [32] and probabilities [32, 10]
 */
export function accuracyKind(yTrue: Tensor, yPred: Tensor): 'binary' | 'sparse_categorical' | 'categorical' {
  const last = (t: Tensor): number => (t.rank === 0 ? 1 : t.shape[t.rank - 1]);
  // Porting note: Keras reads y_pred of shape [N] (no class axis) as N classes of one sample, so 'accuracy' becomes
  // categorical_accuracy over the whole batch; tapegrad takes one value per sample as binary instead.
  if (yPred.rank <= 1 || last(yPred) === 1) return 'binary';
  if (yTrue.rank < yPred.rank || last(yTrue) === 1) return 'sparse_categorical';
  return 'categorical';
}

/**
 * 'accuracy' / 'acc' (Keras 3 compile): at the first batch it becomes binary_accuracy when y_pred has one output
 * per sample, sparse_categorical_accuracy when the labels have a lower rank or a trailing 1 (integer labels),
 * else categorical_accuracy. It resolves from the shapes, not from the loss, and keeps the name it was given.
 */
class ShapeResolvedAccuracy extends Metric {
  private inner: MeanMetricWrapper | null = null;

  /** The accuracy chosen at the first batch, or null before it. */
  get resolvedAs(): string | null {
    return this.inner === null ? null : this.inner.name;
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null = null): void {
    if (this.inner === null) {
      const kind = accuracyKind(yTrue, yPred);
      this.inner = kind === 'binary' ? new BinaryAccuracy() : kind === 'sparse_categorical' ? new SparseCategoricalAccuracy() : new CategoricalAccuracy();
    }
    this.inner.updateState(yTrue, yPred, sampleWeight);
  }

  result(): number {
    return this.inner === null ? 0 : this.inner.result();
  }

  resetState(): void {
    this.inner?.resetState(); // the choice stays: Keras builds compiled metrics once
  }
}

const wrap = (fn: MetricFn) => (name: string): Metric => new MeanMetricWrapper(fn, { name });

/** Keras's metric names (metrics.get aliases included), each making its metric under the name it was given. */
const metrics: Readonly<Record<string, (name: string) => Metric>> = {
  accuracy: (name) => new ShapeResolvedAccuracy(name),
  acc: (name) => new ShapeResolvedAccuracy(name),
  binary_accuracy: (name) => new BinaryAccuracy({ name }),
  categorical_accuracy: (name) => new CategoricalAccuracy({ name }),
  sparse_categorical_accuracy: (name) => new SparseCategoricalAccuracy({ name }),
  mean_squared_error: wrap(meanSquaredError),
  mse: wrap(meanSquaredError),
  mean_absolute_error: wrap(meanAbsoluteError),
  mae: wrap(meanAbsoluteError),
  binary_crossentropy: wrap((t, p) => binaryCrossentropy(t, p)),
  bce: wrap((t, p) => binaryCrossentropy(t, p)),
  categorical_crossentropy: wrap((t, p) => categoricalCrossentropy(t, p)),
  sparse_categorical_crossentropy: wrap((t, p) => sparseCategoricalCrossentropy(t, p)),
  hinge: wrap(hinge),
};

/**
 * The metric an identifier names (Keras 3 compile's `get_metric`): a Metric is returned as is, a function is wrapped
 * in a {@link MeanMetricWrapper} named after it, a name (snake_case or camelCase) makes a new metric. As in Keras 3,
 * a metric given by name reports under exactly that name: metrics: ['mse'] logs 'mse', ['acc'] logs 'acc'.
 * The cross-entropy metrics average the per-sample losses (sigmoid/softmax outputs use their logits, as the losses).
 * @throws Error listing the valid names for an unknown one.
 * @example `getMetric('accuracy')`, `getMetric('mae')`, `getMetric((t, p) => abs(sub(t, p)))`
 */
export function getMetric(id: MetricIdentifier): Metric {
  if (id instanceof Metric) return id;
  if (typeof id === 'function') return new MeanMetricWrapper(id);
  if (typeof id === 'string') return lookup('metric', id, metrics)(id);
  throw new Error(`getMetric: expected a metric name, a Metric or a function (yTrue, yPred) => Tensor, got ${String(id)}`);
}
