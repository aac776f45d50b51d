// The cross-entropy losses (Keras 3 losses/losses.py, backend/*/nn.py): binary, categorical and sparse categorical,
// each as a function of per-sample values and as a Loss class.
import { type Tensor, formatShape, kernels, normalizeAxis, shapesEqual, tensor } from '@tapegrad/tensor';
import { add, clip, div, log, mean, mul, neg, sub, sum } from '@tapegrad/autograd';
import { logitsOf } from '../ops/logits.js';
import { sigmoidCrossEntropy, softmaxCrossEntropy } from '../ops/cross-entropy.js';
import { Loss, type LossConfig, type LossOptions, type MaskedValues, alignLabels, checkSameShape } from './loss.js';
import { checkOptionNames, warnOnce } from './options.js';

/** Keras's backend epsilon: probabilities are clipped into [EPSILON, 1 - EPSILON] before the log. */
export const EPSILON = 1e-7;

// Where the logits come from. Keras 3's TensorFlow backend (`_get_logits`) notices a y_pred made by a sigmoid or
// softmax activation and uses the logits that produced it, with the stable logits formula; tapegrad does the same
// through `logitsOf`. Porting note: Keras 3's JAX and PyTorch backends use the clipped probabilities instead. The
// two agree except where p is within 1e-7 of 0 or 1: there the clipped form caps the loss at -log(1e-7) ≈ 16.118
// and has gradient 0, while the logits form keeps growing and keeps a gradient (σ(z) - y).
// A softmax is recognized only along the last axis, the axis the softmax activation uses.

/** The logits to use for `p`, or null for the probabilities path (Keras TF backend's `_get_logits`). */
function logitsFor(p: Tensor, fromLogits: boolean, kind: 'sigmoid' | 'softmax', loss: string, lastAxis = true): Tensor | null {
  const source = logitsOf(p);
  if (source !== undefined && source.kind === kind && lastAxis) {
    if (fromLogits) {
      warnOnce(`${loss}: received fromLogits: true, but y_pred was produced by a ${kind} activation and so is not logits; ` +
        `using the logits the ${kind} was applied to, as Keras's TensorFlow backend does. Was this intended?`);
    }
    return source.logits;
  }
  return fromLogits ? p : null;
}

function checkSmoothing(loss: string, labelSmoothing: number): void {
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new Error(`${loss}: labelSmoothing must be a number in [0, 1], got ${String(labelSmoothing)}`);
  }
}

const last = (t: Tensor): number => (t.rank === 0 ? 1 : t.shape[t.rank - 1]);

// ---- binary ----

/** Options of {@link binaryCrossentropy} and {@link BinaryCrossentropy}. */
export interface BinaryCrossentropyOptions {
  /** y_pred holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /** Squeezes the labels toward 0.5: y·(1 - ls) + 0.5·ls; default 0. */
  labelSmoothing?: number;
  /** The axis the per-sample mean runs over; default -1. */
  axis?: number;
}

function bceHint(yTrue: Tensor, yPred: Tensor): string {
  const classes = last(yPred);
  if (classes > 1 && (yTrue.rank < yPred.rank || last(yTrue) === 1)) {
    return `binary crossentropy needs one probability per label — for ${classes} classes use categorical_crossentropy ` +
      'with one-hot labels or sparse_categorical_crossentropy with integer labels';
  }
  if (last(yPred) === 1 && last(yTrue) > 1) {
    return `y_pred has 1 output per sample but y_true has ${last(yTrue)}: give the model ${last(yTrue)} outputs (one per label)`;
  }
  return 'binary crossentropy needs one label per output, y_true of the model output\'s shape';
}

/**
 * Binary cross-entropy per sample (Keras `keras.losses.binary_crossentropy`): with y smoothed to y·(1-ls) + 0.5·ls,
 * on probabilities p clipped into [1e-7, 1-1e-7] `l = -(y·log p + (1-y)·log(1-p))`, on logits z
 * `l = max(z,0) - z·y + log(1+e^-|z|)` (a fused op); then the mean over `axis`. A y_pred made by a sigmoid
 * activation takes the logits path on the logits that produced it (Keras's TensorFlow backend).
 * @throws Error when y_true and y_pred differ in shape after Keras's alignment (labels [N] vs output [N, 1] is fine).
 * @example
 * ```ts
 * binaryCrossentropy(tensor([[1], [0]]), tensor([[0.9], [0.2]])); // [0.1054, 0.2231]
 * ```
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: BinaryCrossentropyOptions = {}): Tensor {
  const { fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  const name = 'binary_crossentropy';
  checkSmoothing(name, labelSmoothing);
  const [labels, p] = alignLabels(yTrue, yPred);
  checkSameShape(name, yTrue, yPred, labels, p, () => bceHint(labels, p));
  const y = labelSmoothing > 0 ? add(mul(labels, 1 - labelSmoothing), 0.5 * labelSmoothing) : labels;
  const logits = logitsFor(p, fromLogits, 'sigmoid', name);
  if (logits !== null) return mean(sigmoidCrossEntropy(y, logits), axis);
  const pc = clip(p, EPSILON, 1 - EPSILON); // gradient 0 outside, as Keras's clip_by_value
  return mean(neg(add(mul(y, log(pc)), mul(sub(1, y), log(sub(1, pc))))), axis);
}

// ---- categorical ----

/** Options of {@link categoricalCrossentropy} and {@link CategoricalCrossentropy}. */
export interface CategoricalCrossentropyOptions {
  /** y_pred holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /** Mixes the labels with the uniform distribution: y·(1 - ls) + ls / classes; default 0. */
  labelSmoothing?: number;
  /** The class axis; default -1. */
  axis?: number;
}

function cceHint(yTrue: Tensor, yPred: Tensor): string {
  if (last(yPred) > 1 && (yTrue.rank < yPred.rank || last(yTrue) === 1)) {
    return 'categorical_crossentropy needs one-hot labels of y_pred\'s shape; for integer class labels use sparse_categorical_crossentropy';
  }
  if (last(yPred) === 1 && last(yTrue) > 1) {
    return `y_pred has 1 output per sample but y_true has ${last(yTrue)} classes: end the model with ${last(yTrue)} units and a softmax`;
  }
  return 'categorical_crossentropy needs y_true of y_pred\'s shape: one-hot labels, one column per class';
}

/** -Σ y·log(p) along `axis` on aligned, same-shape operands (probabilities renormalized, then clipped) or the fused logits op. */
function crossentropyAlong(y: Tensor, p: Tensor, fromLogits: boolean, axis: number, loss: string): Tensor {
  const ax = normalizeAxis(axis, p.rank, loss);
  const logits = logitsFor(p, fromLogits, 'softmax', loss, ax === p.rank - 1);
  if (logits !== null) return softmaxCrossEntropy(y, logits, ax);
  const pc = clip(div(p, sum(p, ax, true)), EPSILON, 1 - EPSILON);
  return neg(sum(mul(y, log(pc)), ax));
}

/**
 * Categorical cross-entropy per sample (Keras `keras.losses.categorical_crossentropy`) for one-hot (or soft) labels:
 * with y smoothed to y·(1-ls) + ls/C, on probabilities `l = -Σ y·log(clip(p/Σp, 1e-7, 1-1e-7))`, on logits
 * `l = -Σ y·logSoftmax(z)` (a fused op), summed over `axis`. A y_pred made by a softmax activation takes the
 * logits path on its logits (Keras's TensorFlow backend).
 * @throws Error when y_true and y_pred differ in shape after Keras's alignment.
 * @example
 * ```ts
 * categoricalCrossentropy(tensor([[0, 1, 0]]), tensor([[0.2, 0.5, 0.3]])); // [-ln 0.5] = [0.6931]
 * ```
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CategoricalCrossentropyOptions = {}): Tensor {
  const { fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  const name = 'categorical_crossentropy';
  checkSmoothing(name, labelSmoothing);
  const [labels, p] = alignLabels(yTrue, yPred);
  checkSameShape(name, yTrue, yPred, labels, p, () => cceHint(labels, p));
  const ax = normalizeAxis(axis, p.rank, name);
  if (p.shape[ax] === 1) {
    warnOnce(`${name}: expected y_pred of shape (batch_size, num_classes) with num_classes > 1, got ${formatShape(p.shape)}; ` +
      'the loss is always 0. Consider binary_crossentropy if you have 2 classes.');
  }
  const y = labelSmoothing > 0 ? add(mul(labels, 1 - labelSmoothing), labelSmoothing / p.shape[ax]) : labels;
  return crossentropyAlong(y, p, fromLogits, ax, name);
}

// ---- sparse categorical ----

/** Options of {@link sparseCategoricalCrossentropy} and {@link SparseCategoricalCrossentropy}. */
export interface SparseCategoricalCrossentropyOptions {
  /** y_pred holds logits rather than probabilities; default false. */
  fromLogits?: boolean;
  /** A label value whose samples are left out of the loss (and of the mean), e.g. -1 for padding; default null. */
  ignoreClass?: number | null;
  /** The class axis: only the last axis (-1, the default) is supported, as in Keras's TensorFlow backend. */
  axis?: number;
}

/** Integer labels as one-hot rows of `classes` (a zero row for an ignored label) and the mask of counted labels. */
function sparseLabels(labels: Tensor, classes: number, ignoreClass: number | null, dtype: Tensor['dtype']): { oneHot: Tensor; mask: Tensor } {
  const values = labels.toTypedArray();
  const indices = new Array<number>(values.length);
  const mask = new Array<number>(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (ignoreClass !== null && v === ignoreClass) {
      indices[k] = -1; // oneHot gives a row of zeros: no loss, no gradient
      mask[k] = 0;
      continue;
    }
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      const what = Number.isInteger(v) ? `is outside the valid range [0, ${classes}) for y_pred with ${classes} classes` : 'is not an integer';
      throw new Error(
        `sparse_categorical_crossentropy: label ${v} at position ${k} ${what}; labels must be integer class indices ` +
          `from 0 to ${classes - 1}` + (ignoreClass === null ? '' : ` or the ignored class ${ignoreClass}`),
      );
    }
    indices[k] = v;
    mask[k] = 1;
  }
  const oneHot = kernels.reshape(kernels.oneHot(indices, classes, { dtype }), [...labels.shape, classes]);
  return { oneHot, mask: tensor(mask, labels.shape, dtype) };
}

function sparseShapeError(yTrue: Tensor, yPred: Tensor, labels: Tensor, p: Tensor): Error {
  const rows = p.shape.slice(0, -1);
  const fix = shapesEqual(labels.shape, p.shape)
    ? `y_true looks one-hot: use categorical_crossentropy, or pass integer labels of shape ${formatShape(rows)}`
    : `it takes one integer class label per row of y_pred, shape ${formatShape(rows)} or ${formatShape([...rows, 1])}`;
  return new Error(`sparse_categorical_crossentropy: y_true ${formatShape(yTrue.shape)} does not fit y_pred ${formatShape(yPred.shape)}; ${fix}`);
}

/**
 * Sparse categorical cross-entropy per sample with the mask of the samples that count (0 where the label is
 * `ignoreClass`), of which {@link sparseCategoricalCrossentropy} returns the values alone. The Loss class folds the mask into the
 * reduction, so the mean runs over the counted samples only (Keras's `apply_mask`).
 * @example `sparseCategoricalCrossentropyMasked(tensor([1, -1]), probs, { ignoreClass: -1 }).mask` is [1, 0]
 */
export function sparseCategoricalCrossentropyMasked(yTrue: Tensor, yPred: Tensor, options: SparseCategoricalCrossentropyOptions = {}): MaskedValues {
  const { fromLogits = false, ignoreClass = null, axis = -1 } = options;
  const name = 'sparse_categorical_crossentropy';
  if (yPred.rank === 0) throw new Error(`${name}: y_pred must have a class axis, got a scalar`);
  if (normalizeAxis(axis, yPred.rank, name) !== yPred.rank - 1) {
    throw new Error(`${name}: only the last axis (-1) is supported, as in Keras's TensorFlow backend; got axis ${axis}`);
  }
  const aligned = alignLabels(yTrue, yPred);
  const p = aligned[1];
  let labels = aligned[0];
  if (labels.rank === p.rank && last(labels) === 1) labels = kernels.squeeze(labels, [labels.rank - 1]); // [N, 1] → [N]
  if (!shapesEqual(labels.shape, p.shape.slice(0, -1))) throw sparseShapeError(yTrue, yPred, labels, p);
  const { oneHot, mask } = sparseLabels(labels, last(p), ignoreClass, p.dtype);
  return { values: crossentropyAlong(oneHot, p, fromLogits, p.rank - 1, name), mask: ignoreClass === null ? null : mask };
}

/**
 * Sparse categorical cross-entropy per sample (Keras `keras.losses.sparse_categorical_crossentropy`) for integer
 * labels k of shape [N] or [N, 1]: on probabilities `l = -log(clip(p_k/Σp, 1e-7, 1-1e-7))`, on logits
 * `l = -logSoftmax(z)_k` (the fused op on one-hot labels); 0 where k is `ignoreClass`. A y_pred made by a softmax
 * activation takes the logits path on its logits (Keras's TensorFlow backend). Porting note: on probabilities
 * tapegrad renormalizes and then clips (Keras's JAX/PyTorch backends, and categorical_crossentropy); the TF backend
 * clips first, which differs only near p = 0.
 * @throws Error for labels that are not integers in [0, classes) (or ignoreClass), or of a shape that does not fit.
 * @example
 * ```ts
 * sparseCategoricalCrossentropy(tensor([1]), tensor([[0.2, 0.5, 0.3]])); // [0.6931]
 * ```
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: SparseCategoricalCrossentropyOptions = {}): Tensor {
  return sparseCategoricalCrossentropyMasked(yTrue, yPred, options).values;
}

// ---- the Loss classes ----

/**
 * Binary cross-entropy (Keras `keras.losses.BinaryCrossentropy`): {@link binaryCrossentropy} per sample, then the
 * reduction. For 0/1 labels and one sigmoid output (or several independent ones).
 * @example
 * ```ts
 * new BinaryCrossentropy().compute(tensor([[1], [0]]), tensor([[0.9], [0.2]])).item(); // (0.1054 + 0.2231) / 2
 * ```
 */
export class BinaryCrossentropy extends Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: BinaryCrossentropyOptions & LossOptions = {}) {
    super(options, 'binary_crossentropy');
    checkOptionNames('BinaryCrossentropy', options, ['fromLogits', 'labelSmoothing', 'axis']);
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    this.axis = options.axis ?? -1;
    checkSmoothing('BinaryCrossentropy', this.labelSmoothing);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryCrossentropy(yTrue, yPred, this);
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/**
 * Categorical cross-entropy (Keras `keras.losses.CategoricalCrossentropy`): {@link categoricalCrossentropy} per
 * sample, then the reduction. For one-hot labels and a softmax output.
 * @example `new CategoricalCrossentropy({ labelSmoothing: 0.1 }).compute(oneHotLabels, probabilities)`
 */
export class CategoricalCrossentropy extends Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: CategoricalCrossentropyOptions & LossOptions = {}) {
    super(options, 'categorical_crossentropy');
    checkOptionNames('CategoricalCrossentropy', options, ['fromLogits', 'labelSmoothing', 'axis']);
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    this.axis = options.axis ?? -1;
    checkSmoothing('CategoricalCrossentropy', this.labelSmoothing);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalCrossentropy(yTrue, yPred, this);
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis };
  }
}

/**
 * Sparse categorical cross-entropy (Keras `keras.losses.SparseCategoricalCrossentropy`):
 * {@link sparseCategoricalCrossentropy} per sample, then the reduction; samples labelled `ignoreClass` are left out
 * of the sum and, for the mean reductions, of the count.
 * @example `new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 }).compute(labels, logits)`
 */
export class SparseCategoricalCrossentropy extends Loss {
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;

  constructor(options: Omit<SparseCategoricalCrossentropyOptions, 'axis'> & LossOptions = {}) {
    super(options, 'sparse_categorical_crossentropy');
    checkOptionNames('SparseCategoricalCrossentropy', options, ['fromLogits', 'ignoreClass']);
    this.fromLogits = options.fromLogits ?? false;
    this.ignoreClass = options.ignoreClass ?? null;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.callMasked(yTrue, yPred).values;
  }

  protected override callMasked(yTrue: Tensor, yPred: Tensor): MaskedValues {
    return sparseCategoricalCrossentropyMasked(yTrue, yPred, { fromLogits: this.fromLogits, ignoreClass: this.ignoreClass });
  }

  override getConfig(): LossConfig {
    return { ...super.getConfig(), fromLogits: this.fromLogits, ignoreClass: this.ignoreClass };
  }
}
