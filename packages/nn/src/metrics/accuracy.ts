// The accuracy metrics (Keras 3 metrics/accuracy_metrics.py): binary, categorical and sparse categorical, each a
// kernel function of per-sample 0/1 values and a running-mean Metric class.
import { type Tensor, type TypedArray, formatShape, kernels, shapesEqual, tensor } from '@tapegrad/tensor';
import { squeezeOrExpandToSameRank } from '../losses/loss.js';
import { MeanMetricWrapper, type MetricConfig } from './metric.js';

/** Labels and predictions as float64 constants, aligned as Keras aligns them (labels [N] vs output [N, 1]). */
function aligned(yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  return squeezeOrExpandToSameRank(kernels.cast(yTrue, 'float64'), kernels.cast(yPred, 'float64'), false);
}

/** Elementwise 1 where `a` equals `b`, else 0, for same-shape tensors. */
function matches(a: Tensor, b: Tensor): Tensor {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] === y[i] ? 1 : 0;
  return tensor(out, a.shape, 'float64');
}

/**
 * 1 where the thresholded prediction equals the label, else 0, per element (Keras `keras.metrics.binary_accuracy`):
 * `(p > threshold) == y`. Strictly greater: p = 0.5 counts as class 0. Labels other than 0 and 1 never match.
 * @throws Error when y_true and y_pred differ in shape after Keras's alignment.
 * @example
 * ```ts
 * binaryAccuracy(tensor([[1], [0], [0]]), tensor([[0.7], [0.5], [0.51]])); // [[1], [1], [0]]
 * ```
 */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  const [t, p] = aligned(yTrue, yPred);
  if (!shapesEqual(t.shape, p.shape)) {
    throw new Error(`binary_accuracy: y_true ${formatShape(yTrue.shape)} and y_pred ${formatShape(yPred.shape)} have different shapes; it compares one label per output`);
  }
  return matches(t, kernels.greater(p, tensor(threshold, [], 'float64')));
}

/**
 * 1 where the predicted class (argmax of y_pred) is the labelled class (argmax of the one-hot y_true), per sample
 * (Keras `keras.metrics.categorical_accuracy`). Ties go to the first index.
 * @throws Error when y_true and y_pred differ in shape.
 * @example
 * ```ts
 * categoricalAccuracy(tensor([[0, 1], [1, 0]]), tensor([[0.3, 0.7], [0.4, 0.6]])); // [1, 0]
 * ```
 */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = aligned(yTrue, yPred);
  if (!shapesEqual(t.shape, p.shape) || p.rank === 0) {
    throw new Error(
      `categorical_accuracy: y_true ${formatShape(yTrue.shape)} and y_pred ${formatShape(yPred.shape)} have different shapes; ` +
        'it takes one-hot labels of the output\'s shape (for integer labels use sparse_categorical_accuracy)',
    );
  }
  return matches(kernels.argmax(t, -1), kernels.argmax(p, -1));
}

/**
 * 1 where the predicted class (argmax of y_pred) equals the integer label, per sample
 * (Keras `keras.metrics.sparse_categorical_accuracy`); labels of shape [N] or [N, 1].
 * @throws Error when the labels do not have one entry per row of y_pred.
 * @example
 * ```ts
 * sparseCategoricalAccuracy(tensor([1, 0]), tensor([[0.3, 0.7], [0.4, 0.6]])); // [1, 0]
 * ```
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const [labels, p] = aligned(yTrue, yPred);
  let t = labels;
  if (p.rank === 0) throw new Error('sparse_categorical_accuracy: y_pred must have a class axis, got a scalar');
  if (t.rank === p.rank && t.shape[t.rank - 1] === 1) t = kernels.squeeze(t, [t.rank - 1]);
  const rows = p.shape.slice(0, -1);
  if (!shapesEqual(t.shape, rows)) {
    throw new Error(
      `sparse_categorical_accuracy: y_true ${formatShape(yTrue.shape)} does not fit y_pred ${formatShape(yPred.shape)}; ` +
        `it takes one integer label per row, shape ${formatShape(rows)} or ${formatShape([...rows, 1])}`,
    );
  }
  return matches(t, kernels.argmax(p, -1));
}

// ---- counting without tensors: the metrics' per-batch path ----
// Without sample weights, each sample's value is 0 or 1, so a batch adds (number of matches, number of samples): the
// same sums batchTotals makes from the tensor of values, exactly (small integers add exactly in any order). These
// count in one pass over the data; they return null for layouts they do not cover, which take the tensor path.

/** The contiguous data of a tensor holding one value per sample (shape [N] or [N, 1]), or null. */
function perSample(t: Tensor, n: number): { d: TypedArray; o: number } | null {
  const ok = t.isContiguous && t.shape[0] === n && (t.rank === 1 || (t.rank === 2 && t.shape[1] === 1));
  return ok ? { d: t.data, o: t.offset } : null;
}

/** Matches of (p > threshold) with labels, both one value per sample; null for other layouts. */
function countBinaryMatches(yTrue: Tensor, yPred: Tensor, threshold: number): number | null {
  if (yPred.rank === 0) return null;
  const n = yPred.shape[0];
  const t = perSample(yTrue, n);
  const p = perSample(yPred, n);
  if (t === null || p === null) return null;
  let hits = 0;
  for (let i = 0; i < n; i++) if ((p.d[p.o + i] > threshold ? 1 : 0) === t.d[t.o + i]) hits++;
  return hits;
}

/** The index of the largest of `n` values at `base` (first on ties; the first NaN wins), as kernels.argmax. */
function argmaxRow(d: TypedArray, base: number, n: number): number {
  let m = -Infinity;
  let at = 0;
  for (let r = 0; r < n; r++) {
    const v = d[base + r];
    if (v > m || (v !== v && m === m)) {
      m = v;
      at = r;
    }
  }
  return at;
}

/** Rows of a contiguous [N, C] y_pred whose argmax equals `label(row)`; null for other layouts. */
function countArgmaxMatches(yPred: Tensor, label: (row: number) => number): number | null {
  if (yPred.rank !== 2 || !yPred.isContiguous || yPred.shape[1] === 0) return null;
  const [n, c] = yPred.shape;
  let hits = 0;
  for (let i = 0; i < n; i++) if (argmaxRow(yPred.data, yPred.offset + i * c, c) === label(i)) hits++;
  return hits;
}

/** Matches of argmax(y_pred) with argmax of one-hot labels of the same [N, C] shape; null for other layouts. */
function countCategoricalMatches(yTrue: Tensor, yPred: Tensor): number | null {
  if (!yTrue.isContiguous || !shapesEqual(yTrue.shape, yPred.shape) || yTrue.rank !== 2) return null;
  const c = yTrue.shape[1];
  return countArgmaxMatches(yPred, (i) => argmaxRow(yTrue.data, yTrue.offset + i * c, c));
}

/** Matches of argmax(y_pred) [N, C] with integer labels [N] or [N, 1]; null for other layouts. */
function countSparseMatches(yTrue: Tensor, yPred: Tensor): number | null {
  if (yPred.rank !== 2) return null;
  const t = perSample(yTrue, yPred.shape[0]);
  return t === null ? null : countArgmaxMatches(yPred, (i) => t.d[t.o + i]);
}

/** Options of {@link BinaryAccuracy}. */
export interface BinaryAccuracyOptions {
  /** Default 'binary_accuracy'. */
  name?: string;
  /** A prediction above it is class 1; default 0.5. */
  threshold?: number;
}

/**
 * The fraction of labels matched by thresholded predictions (Keras `keras.metrics.BinaryAccuracy`): the running
 * mean of {@link binaryAccuracy}.
 * @example `new BinaryAccuracy({ threshold: 0.7 })`
 */
export class BinaryAccuracy extends MeanMetricWrapper {
  readonly threshold: number;

  constructor(options: BinaryAccuracyOptions = {}) {
    const threshold = options.threshold ?? 0.5;
    super((t, p) => binaryAccuracy(t, p, threshold), { name: options.name ?? 'binary_accuracy' });
    this.threshold = threshold;
  }

  override updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null = null): void {
    const hits = sampleWeight === null ? countBinaryMatches(yTrue, yPred, this.threshold) : null;
    if (hits === null) super.updateState(yTrue, yPred, sampleWeight);
    else this.addTotals(hits, yPred.shape[0]);
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/**
 * The fraction of samples whose argmax matches the one-hot label's (Keras `keras.metrics.CategoricalAccuracy`).
 * @example `new CategoricalAccuracy()`
 */
export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(options: { name?: string } = {}) {
    super(categoricalAccuracy, { name: options.name ?? 'categorical_accuracy' });
  }

  override updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null = null): void {
    const hits = sampleWeight === null ? countCategoricalMatches(yTrue, yPred) : null;
    if (hits === null) super.updateState(yTrue, yPred, sampleWeight);
    else this.addTotals(hits, yPred.shape[0]);
  }
}

/**
 * The fraction of samples whose argmax equals the integer label (Keras `keras.metrics.SparseCategoricalAccuracy`).
 * @example `new SparseCategoricalAccuracy()`
 */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(options: { name?: string } = {}) {
    super(sparseCategoricalAccuracy, { name: options.name ?? 'sparse_categorical_accuracy' });
  }

  override updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null = null): void {
    const hits = sampleWeight === null ? countSparseMatches(yTrue, yPred) : null;
    if (hits === null) super.updateState(yTrue, yPred, sampleWeight);
    else this.addTotals(hits, yPred.shape[0]);
  }
}
