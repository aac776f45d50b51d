// LayerNormalization: normalizes each sample over some axes (keras/src/layers/normalization/layer_normalization.py).
import { type Shape, type Tensor, formatShape } from '@tapegrad/tensor';
import { type Variable, add, mean, mul, neg, reshape, rsqrt, variance } from '@tapegrad/autograd';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { type LayerConfig, type LayerOptions, Layer, type SymbolicShape } from '../layer.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import { serializeInitializer, serializeOptional } from '../serialize.js';

/** Options of {@link LayerNormalization}: Keras's arguments, camelCased, with Keras's defaults. */
export interface LayerNormalizationOptions extends LayerOptions {
  /** The axis or axes normalized over, per sample; default -1 (the features). Never the batch axis. */
  axis?: number | readonly number[];
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
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/**
 * Normalizes each sample on its own over `axis` (Keras `layers.LayerNormalization`, Ba et al. 2016):
 * with mean and biased variance over the axes, y = (x - mean)/√(var + ε)·γ + β, computed as Keras does as
 * x·inv + (β - mean·inv) with inv = γ/√(var + ε). γ and β have the shape of the normalized axes; there
 * are no moving statistics, so training and inference agree.
 *
 * Built from differentiable ops (mean, variance, rsqrt), so it is twice differentiable.
 * Weights, in order: gamma (if scale), beta (if center), both trainable.
 * Porting notes: the axes are sorted, so gamma's shape lists the axes in increasing order whatever order
 * `axis` gives them in (Keras keeps the given order, then reshapes); `rms_scaling` is not supported.
 *
 * @example
 * ```ts
 * const ln = new LayerNormalization();               // over the last axis
 * ln.apply(tensor([[1, 2, 3], [10, 20, 30]]));        // each row: mean 0, variance ≈ 1
 * new LayerNormalization({ axis: [1, 2, 3] });        // over a whole NHWC image
 * ```
 */
export class LayerNormalization extends Layer {
  static readonly className = 'LayerNormalization';
  /** The axis or axes as given. */
  readonly axis: number | readonly number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  /** The learned scale, shaped like the normalized axes (null when scale is false). */
  gamma: Variable | null = null;
  /** The learned offset, shaped like the normalized axes (null when center is false). */
  beta: Variable | null = null;
  private readonly options: LayerNormalizationOptions;
  /** The normalized axes, non-negative and sorted (after build). */
  private axes: number[] = [];
  /** The weights' shape with 1s on the other axes, so they broadcast against the input (after build). */
  private broadcastShape: number[] = [];

  /** @throws Error naming the option and the value for a malformed axis or a non-positive epsilon. */
  constructor(options: LayerNormalizationOptions = {}) {
    super(options);
    const axis = options.axis ?? -1;
    const list = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : null;
    if (list === null || list.length === 0 || !list.every((a) => Number.isInteger(a))) {
      throw new Error(`LayerNormalization: axis must be an integer or a non-empty array of integers, got ${JSON.stringify(axis)}`);
    }
    this.axis = typeof axis === 'number' ? axis : [...list];
    this.epsilon = options.epsilon ?? 1e-3;
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    if (!(typeof this.epsilon === 'number' && this.epsilon > 0)) {
      throw new Error(`LayerNormalization: epsilon must be a positive number, got ${this.epsilon}`);
    }
    this.options = options;
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    const given = typeof this.axis === 'number' ? [this.axis] : this.axis;
    const axes = given.map((a) => (a < 0 ? a + rank : a));
    const bad = given.find((a, i) => axes[i] < 1 || axes[i] >= rank || inputShape[axes[i]] === null);
    if (bad !== undefined || new Set(axes).size !== axes.length) {
      const what = bad !== undefined ? `axis ${bad} is not a known non-batch axis` : `axis ${JSON.stringify(this.axis)} repeats an axis`;
      throw new Error(
        `${this.name} (LayerNormalization): ${what} of input shape (${inputShape.map((d) => d ?? 'None').join(', ')}); ` +
          `valid axes are 1..${rank - 1} or -1..${1 - rank}, each once, with known sizes`,
      );
    }
    this.axes = axes.sort((a, b) => a - b);
    const shape = this.axes.map((a) => inputShape[a] as number);
    this.broadcastShape = inputShape.map((d, i) => (this.axes.includes(i) ? (d as number) : 1));
    const o = this.options;
    if (this.scale) {
      this.gamma = this.addWeight('gamma', shape, { initializer: o.gammaInitializer ?? 'ones', regularizer: o.gammaRegularizer, constraint: o.gammaConstraint });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', shape, { initializer: o.betaInitializer ?? 'zeros', regularizer: o.betaRegularizer, constraint: o.betaConstraint });
    }
  }

  override call(x: Tensor): Tensor {
    const m = mean(x, this.axes, true);
    const v = variance(x, this.axes, true);
    let inv = rsqrt(add(v, this.epsilon));
    if (this.gamma !== null) inv = mul(inv, this.broadcast(this.gamma));
    let offset = neg(mul(m, inv));
    if (this.beta !== null) offset = add(offset, this.broadcast(this.beta));
    return add(mul(x, inv), offset);
  }

  /** A weight reshaped to broadcast against the input (not needed when only the last axis is normalized). */
  private broadcast(w: Tensor): Tensor {
    const lastOnly = this.axes.length === 1 && this.axes[0] === this.broadcastShape.length - 1;
    return lastOnly ? w : reshape(w, this.broadcastShape);
  }

  /** The rank and the normalized axes must match the build shape; other axes may vary (Keras has no input spec). */
  protected override checkInput(shape: Shape): void {
    const built = this.builtInputShape;
    if (built === null) return;
    if (shape.length !== built.length || this.axes.some((a) => shape[a] !== built[a])) {
      throw new Error(
        `${this.name} (LayerNormalization): expected an input of rank ${built.length} with sizes ` +
          `${this.axes.map((a) => `${built[a]} on axis ${a}`).join(', ')} (built for (${built.map((d) => d ?? 'None').join(', ')})), ` +
          `got ${formatShape(shape)}`,
      );
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    const o = this.options;
    return {
      ...super.getConfig(),
      axis: typeof this.axis === 'number' ? this.axis : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(o.betaInitializer ?? 'zeros'),
      gammaInitializer: serializeInitializer(o.gammaInitializer ?? 'ones'),
      betaRegularizer: serializeOptional(o.betaRegularizer),
      gammaRegularizer: serializeOptional(o.gammaRegularizer),
      betaConstraint: serializeOptional(o.betaConstraint),
      gammaConstraint: serializeOptional(o.gammaConstraint),
    };
  }

  /** Rebuilds the layer from {@link getConfig}'s output. */
  static fromConfig(config: LayerConfig): LayerNormalization {
    return new LayerNormalization(config as LayerNormalizationOptions);
  }
}
