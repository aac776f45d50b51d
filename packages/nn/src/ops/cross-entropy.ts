// The fused cross-entropy ops on logits: sigmoid + binary cross-entropy and softmax + cross-entropy, each one kernel
// pass forward and one backward (the losses in losses/ call them; Keras's backends call tf.nn.*_with_logits).
import { type Tensor, kernels } from '@tapegrad/tensor';
import { defineOp } from '@tapegrad/autograd';

// Why fusing is right, not only fast. When a loss is fed by a sigmoid output p = σ(z), the loss uses the z that
// produced p (logitsOf), so p itself never enters the loss and no gradient passes through the sigmoid op: the
// tape goes loss → this op → z. That is still the full gradient with respect to z, because
//   d/dz [-(y·log σ(z) + (1-y)·log(1-σ(z)))] = -(y·(1-σ) - (1-y)·σ) = σ(z) - y,
// which is exactly the chain rule through σ (dL/dp · σ'(z)) with the σ(1-σ) factor cancelled analytically.
// Likewise for softmax: d/dz_c [-Σ y·logSoftmax(z)] = softmax(z)_c·Σy - y_c (= softmax - y for labels summing to 1).
// The cancellation is also what makes the fused form stable: no 1/p blows up where p rounds to 0 or 1.

const sigmoidCrossEntropyOp = defineOp('sigmoidCrossEntropy', {
  forward: ([labels, logits]) => kernels.sigmoidCrossEntropy(labels, logits),
  vjp: (g, { inputs: [labels, logits], needs }) => {
    const { dLogits, dLabels } = kernels.sigmoidCrossEntropyBackward(labels, logits, g, needs[0]);
    return [dLabels, needs[1] ? dLogits : null];
  },
  onceDifferentiable: true, // the gradient is a closed form computed by a kernel
});

const softmaxCrossEntropyOp = defineOp<number>('softmaxCrossEntropy', {
  forward: ([labels, logits], axis) => kernels.softmaxCrossEntropy(labels, logits, axis),
  vjp: (g, { inputs: [labels, logits], attrs: axis, needs }) => {
    const { dLogits, dLabels } = kernels.softmaxCrossEntropyBackward(labels, logits, g, axis, needs[0]);
    return [dLabels, needs[1] ? dLogits : null];
  },
  onceDifferentiable: true,
});

/**
 * Binary cross-entropy of `labels` y against sigmoid(`logits`) z, elementwise, in one fused op:
 * `l = max(z, 0) - z·y + log(1 + e^-|z|)`, with gradient `σ(z) - y` for z and `-z` for y.
 * The stable form of Keras's `binary_crossentropy(from_logits=True)` (TensorFlow `sigmoid_cross_entropy_with_logits`).
 * Once-differentiable: a second derivative through it throws.
 * @throws Error when labels and logits differ in shape or dtype.
 * @example
 * ```ts
 * sigmoidCrossEntropy(tensor([1, 0]), tensor([0, 2])); // [0.6931, 2.1269]
 * ```
 */
export function sigmoidCrossEntropy(labels: Tensor, logits: Tensor): Tensor {
  return sigmoidCrossEntropyOp([labels, logits]);
}

/**
 * Cross-entropy of `labels` y against softmax(`logits`) z along `axis` (default the last), one value per row, in
 * one fused op: `l = -Σ_c y_c·logSoftmax(z)_c`, with gradient `softmax(z)·Σy - y` for z and `-logSoftmax(z)` for y.
 * The stable form of Keras's `categorical_crossentropy(from_logits=True)` (TensorFlow
 * `softmax_cross_entropy_with_logits`). Once-differentiable.
 * @throws Error when labels and logits differ in shape or dtype, or `axis` is out of range.
 * @example
 * ```ts
 * softmaxCrossEntropy(tensor([[0, 1]]), tensor([[0, Math.LN2]])); // [ln 1.5] ≈ [0.4055]
 * ```
 */
export function softmaxCrossEntropy(labels: Tensor, logits: Tensor, axis = -1): Tensor {
  return softmaxCrossEntropyOp([labels, logits], axis);
}
