// Elementwise losses (Keras 3 losses/losses.py): mean squared error, mean absolute error and hinge, each as a function
// of per-sample values and as a Loss class.
import { type Tensor, full, kernels } from '@tapegrad/tensor';
import { abs, maximum, mean, mul, square, sub } from '@tapegrad/autograd';
import { Loss, type LossOptions, alignLabels, checkSameShape } from './loss.js';
import { checkOptionNames } from './options.js';

/** Aligned labels and predictions of an elementwise loss, which must then have one shape. */
function elementwiseOperands(name: string, yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  const [t, p] = alignLabels(yTrue, yPred);
  checkSameShape(name, yTrue, yPred, t, p, () => `${name} compares y_true and y_pred element by element; give y_true the shape of the model's output`);
  return [t, p];
}

/**
 * Mean squared error per sample (Keras `keras.losses.mean_squared_error`): `l = mean((y - p)², axis -1)`.
 * @throws Error when y_true and y_pred differ in shape after Keras's alignment (labels [N] vs output [N, 1] is fine).
 * @example
 * ```ts
 * meanSquaredError(tensor([[1, 2]]), tensor([[1, 4]])); // [2]
 * ```
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = elementwiseOperands('mean_squared_error', yTrue, yPred);
  return mean(square(sub(t, p)), -1);
}

/**
 * Mean absolute error per sample (Keras `keras.losses.mean_absolute_error`): `l = mean(|y - p|, axis -1)`;
 * the gradient at y = p is 0.
 * @throws Error when y_true and y_pred differ in shape after Keras's alignment.
 * @example
 * ```ts
 * meanAbsoluteError(tensor([[1, 2]]), tensor([[0, 4]])); // [1.5]
 * ```
 */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = elementwiseOperands('mean_absolute_error', yTrue, yPred);
  return mean(abs(sub(t, p)), -1);
}

/** Keras's `convert_binary_labels_to_hinge`: labels that are all 0 or 1 become -1 or +1; any others stay as they are. */
function hingeLabels(t: Tensor): Tensor {
  const values = t.toTypedArray();
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] !== 1) return t;
  return kernels.sub(kernels.mul(t, full([], 2, t.dtype)), full([], 1, t.dtype));
}

/**
 * Hinge loss per sample (Keras `keras.losses.hinge`): with labels y in {-1, +1} (a batch of only 0/1 labels is
 * converted by 2y - 1), `l = mean(max(1 - y·p, 0), axis -1)`. At the kink the gradient is taken from the 1 - y·p
 * side, as TensorFlow's maximum.
 * @throws Error when y_true and y_pred differ in shape after Keras's alignment.
 * @example
 * ```ts
 * hinge(tensor([[1], [0]]), tensor([[0.3], [-2]])); // [0.7, 0]
 * ```
 */
export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = elementwiseOperands('hinge', yTrue, yPred);
  return mean(maximum(sub(1, mul(hingeLabels(t), p)), 0), -1);
}

/**
 * Mean squared error (Keras `keras.losses.MeanSquaredError`): {@link meanSquaredError} per sample, then the reduction.
 * @example `new MeanSquaredError().compute(tensor([[1, 2]]), tensor([[1, 4]])).item()` is 2
 */
export class MeanSquaredError extends Loss {
  constructor(options: LossOptions = {}) {
    super(options, 'mean_squared_error');
    checkOptionNames('MeanSquaredError', options, []);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredError(yTrue, yPred);
  }
}

/**
 * Mean absolute error (Keras `keras.losses.MeanAbsoluteError`): {@link meanAbsoluteError} per sample, then the reduction.
 * @example `new MeanAbsoluteError({ reduction: 'sum' }).compute(yTrue, yPred)`
 */
export class MeanAbsoluteError extends Loss {
  constructor(options: LossOptions = {}) {
    super(options, 'mean_absolute_error');
    checkOptionNames('MeanAbsoluteError', options, []);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsoluteError(yTrue, yPred);
  }
}

/**
 * Hinge loss (Keras `keras.losses.Hinge`): {@link hinge} per sample, then the reduction. For ±1 (or 0/1) labels and
 * an unbounded score (a linear output).
 * @example `new Hinge().compute(tensor([[1], [0]]), tensor([[0.3], [-2]])).item()` is 0.35
 */
export class Hinge extends Loss {
  constructor(options: LossOptions = {}) {
    super(options, 'hinge');
    checkOptionNames('Hinge', options, []);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return hinge(yTrue, yPred);
  }
}
