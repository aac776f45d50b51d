// The batch normalization ops: fused training and inference kernels with their VJPs (the layer is in layers/).
import { type Tensor, full, kernels, normalizeAxis } from '@tapegrad/tensor';
import { defineOp, mul, reshape, sub, sum } from '@tapegrad/autograd';

/** Attributes of the batch-norm ops: the feature axis, epsilon, and the statistics to normalize with. */
interface BatchNormAttrs {
  readonly axis: number;
  readonly epsilon: number;
  /** Per-feature mean and (biased) variance: the batch's own in training, the moving ones in inference. */
  readonly mean: Tensor;
  readonly variance: Tensor;
}

/**
 * Training mode: normalizes with the batch's statistics, which the caller computed from x itself (the layer
 * also needs them for the moving averages). The VJP is the closed form through mean and variance, one
 * kernel pass per feature; it is once-differentiable.
 */
const batchNormTrainingOp = defineOp<BatchNormAttrs>('batchNorm', {
  forward: ([x, gamma, beta], { axis, epsilon, mean, variance }) => kernels.batchNormForward(x, mean, variance, gamma, beta, axis, epsilon),
  vjp: (g, { inputs: [x, gamma], attrs: { axis, epsilon, mean, variance } }) => {
    const { dx, dgamma, dbeta } = kernels.batchNormBackward(g, x, mean, variance, gamma, axis, epsilon);
    return [dx, dgamma, dbeta];
  },
  onceDifferentiable: true,
});

/**
 * Inference mode: normalizes with fixed (moving) statistics, an affine map per feature. Its VJP is written
 * with ops: dx = g·γ/√(var+ε), dγ = Σ g·x̂, dβ = Σ g.
 */
const batchNormInferenceOp = defineOp<BatchNormAttrs>('batchNormInference', {
  forward: ([x, gamma, beta], { axis, epsilon, mean, variance }) => kernels.batchNormForward(x, mean, variance, gamma, beta, axis, epsilon),
  vjp: (g, { inputs: [x, gamma], attrs: { axis, epsilon, mean, variance }, needs }) => {
    const ax = normalizeAxis(axis, x.rank, 'batchNorm');
    const featureShape = x.shape.map((d, i) => (i === ax ? d : 1));
    const others = x.shape.map((_, i) => i).filter((i) => i !== ax);
    const invStd = reshape(kernels.rsqrt(kernels.add(variance, full([], epsilon, variance.dtype))), featureShape);
    const xhat = mul(sub(x, reshape(mean, featureShape)), invStd); // ops, so the VJP differentiates again
    return [
      needs[0] ? mul(g, mul(reshape(gamma, featureShape), invStd)) : null,
      needs[1] ? sum(mul(g, xhat), others) : null,
      needs[2] ? sum(g, others) : null,
    ];
  },
});

/** Options of {@link batchNormalization}. */
export interface BatchNormOptions {
  /** The feature axis (default -1: channels last). */
  axis?: number;
  /** Added to the variance inside the square root (Keras default 1e-3). */
  epsilon?: number;
}

/**
 * Batch normalization in training mode: per feature along `axis`, mean and biased variance over all other
 * axes, then y = γ·(x - mean)/√(var + ε) + β. Returns the output and the batch statistics (for moving averages).
 * @example
 * ```ts
 * const { y, mean, variance } = batchNormalization(x, gamma, beta, { axis: -1, epsilon: 1e-3 });
 * ```
 */
export function batchNormalization(
  x: Tensor, gamma: Tensor, beta: Tensor, options: BatchNormOptions = {},
): { y: Tensor; mean: Tensor; variance: Tensor } {
  const axis = normalizeAxis(options.axis ?? -1, x.rank, 'batchNormalization');
  const { mean, variance } = kernels.batchNormStats(x, axis);
  const y = batchNormTrainingOp([x, gamma, beta], { axis, epsilon: options.epsilon ?? 1e-3, mean, variance });
  return { y, mean, variance };
}

/**
 * Batch normalization with given statistics (inference): y = γ·(x - mean)/√(variance + ε) + β per feature.
 * @example `batchNormalizationInference(x, movingMean, movingVariance, gamma, beta)`
 */
export function batchNormalizationInference(
  x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor, options: BatchNormOptions = {},
): Tensor {
  const axis = normalizeAxis(options.axis ?? -1, x.rank, 'batchNormalization');
  return batchNormInferenceOp([x, gamma, beta], { axis, epsilon: options.epsilon ?? 1e-3, mean, variance });
}
