// BatchNormalization: normalizes each feature over the batch (keras/src/layers/normalization/batch_normalization.py).
import { type Shape, type Tensor, full } from '@tapegrad/tensor';
import type { Variable } from '@tapegrad/autograd';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { type CallOptions, Layer, type LayerConfig, type LayerOptions, type SymbolicShape } from '../layer.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import { batchNormalization, batchNormalizationInference } from '../ops/batch-norm.js';
import { serializeInitializer, serializeOptional } from '../serialize.js';

/** Options of {@link BatchNormalization}: Keras's arguments, camelCased, with Keras's defaults. */
export interface BatchNormalizationOptions extends LayerOptions {
  /** The feature axis; default -1 (channels last). */
  axis?: number;
  /** Weight of the OLD value in the moving averages; default 0.99. */
  momentum?: number;
  /** Added to the variance inside the square root; default 1e-3. */
  epsilon?: number;
  /** Learn an offset beta; default true. */
  center?: boolean;
  /** Learn a scale gamma; default true. */
  scale?: boolean;
  /** Default 'zeros'. */
  betaInitializer?: InitializerIdentifier;
  /** Default 'ones'. */
  gammaInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  movingMeanInitializer?: InitializerIdentifier;
  /** Default 'ones'. */
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/**
 * Normalizes each feature with the batch's mean and (biased) variance while training, and with moving
 * averages of them at inference, then scales by gamma and shifts by beta (Keras `BatchNormalization`).
 *
 * Training (`training` true AND the layer trainable): per feature over every axis but `axis`,
 * y = γ·(x - mean_B)/√(var_B + ε) + β, and the moving statistics move toward the batch's:
 * moving ← moving·momentum + batch·(1 - momentum) (the biased variance, as Keras 3).
 * Otherwise: y = γ·(x - moving_mean)/√(moving_variance + ε) + β, and nothing is updated; so
 * `trainable = false` means inference mode even inside fit, as in Keras.
 *
 * Weights, in order: gamma (if scale), beta (if center), moving_mean, moving_variance, each [C].
 * Forward and backward run as fused kernels (the backward in closed form).
 *
 * @example
 * ```ts
 * const bn = new BatchNormalization();            // after a Dense or Conv2D layer
 * const y = bn.apply(x, { training: true });      // batch statistics; moving averages updated
 * const z = bn.apply(x);                          // inference: moving statistics
 * ```
 */
export class BatchNormalization extends Layer {
  static readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  /** The learned scale (absent when scale is false). */
  gamma: Variable | null = null;
  /** The learned offset (absent when center is false). */
  beta: Variable | null = null;
  /** The moving mean used at inference. */
  movingMean!: Variable;
  /** The moving (biased) variance used at inference. */
  movingVariance!: Variable;
  private readonly options: BatchNormalizationOptions;
  private featureAxis = -1;

  constructor(options: BatchNormalizationOptions = {}) {
    super(options);
    this.axis = options.axis ?? -1;
    this.momentum = options.momentum ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-3;
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    if (!Number.isInteger(this.axis)) throw new Error(`BatchNormalization: axis must be an integer, got ${this.axis}`);
    if (!(this.epsilon > 0)) throw new Error(`BatchNormalization: epsilon must be positive, got ${this.epsilon}`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`BatchNormalization: momentum must be in [0, 1], got ${this.momentum}`);
    this.options = options;
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const size = inputShape[axis];
    if (axis < 1 || axis >= rank || size === null || size === undefined) {
      throw new Error(
        `${this.name} (BatchNormalization): axis ${this.axis} does not name a known feature axis of input shape ` +
          `(${inputShape.map((d) => d ?? 'None').join(', ')}); valid axes are 1..${rank - 1} or -1..${1 - rank}`,
      );
    }
    this.featureAxis = axis;
    const shape = [size];
    const o = this.options;
    if (this.scale) {
      this.gamma = this.addWeight('gamma', shape, { initializer: o.gammaInitializer ?? 'ones', regularizer: o.gammaRegularizer, constraint: o.gammaConstraint });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', shape, { initializer: o.betaInitializer ?? 'zeros', regularizer: o.betaRegularizer, constraint: o.betaConstraint });
    }
    this.movingMean = this.addWeight('moving_mean', shape, { initializer: o.movingMeanInitializer ?? 'zeros', trainable: false });
    this.movingVariance = this.addWeight('moving_variance', shape, { initializer: o.movingVarianceInitializer ?? 'ones', trainable: false });
  }

  protected override checkInput(shape: Shape): void {
    const rank = this.builtInputShape?.length ?? shape.length;
    this.checkInputSpec(shape, { rank, axes: { [this.featureAxis]: this.movingMean.size } });
  }

  override call(x: Tensor, { training }: Required<CallOptions>): Tensor {
    const gamma = this.gamma ?? full([this.movingMean.size], 1, x.dtype);
    const beta = this.beta ?? full([this.movingMean.size], 0, x.dtype);
    const options = { axis: this.featureAxis, epsilon: this.epsilon };
    if (!(training && this.trainable)) {
      return batchNormalizationInference(x, this.movingMean, this.movingVariance, gamma, beta, options);
    }
    const { y, mean, variance } = batchNormalization(x, gamma, beta, options);
    this.updateMoving(this.movingMean, mean);
    this.updateMoving(this.movingVariance, variance);
    return y;
  }

  /** moving ← moving·momentum + batch·(1 - momentum), in place. */
  private updateMoving(moving: Variable, batch: Tensor): void {
    const m = this.momentum;
    const d = moving.data;
    const b = batch.isContiguous ? batch.data : batch.toTypedArray();
    const o = batch.isContiguous ? batch.offset : 0;
    for (let i = 0; i < d.length; i++) d[i] = d[i] * m + b[o + i] * (1 - m);
    moving.markChanged();
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    const o = this.options;
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(o.betaInitializer ?? 'zeros'),
      gammaInitializer: serializeInitializer(o.gammaInitializer ?? 'ones'),
      movingMeanInitializer: serializeInitializer(o.movingMeanInitializer ?? 'zeros'),
      movingVarianceInitializer: serializeInitializer(o.movingVarianceInitializer ?? 'ones'),
      betaRegularizer: serializeOptional(o.betaRegularizer),
      gammaRegularizer: serializeOptional(o.gammaRegularizer),
      betaConstraint: serializeOptional(o.betaConstraint),
      gammaConstraint: serializeOptional(o.gammaConstraint),
    };
  }

  /** Rebuilds the layer from {@link getConfig}'s output. */
  static fromConfig(config: LayerConfig): BatchNormalization {
    return new BatchNormalization(config as BatchNormalizationOptions);
  }
}
