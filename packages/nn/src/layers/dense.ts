// Dense: the densely connected layer, y = activation(x · kernel + bias) (keras/src/layers/core/dense.py).
import type { Shape, Tensor } from '@tapegrad/tensor';
import type { Variable } from '@tapegrad/autograd';
import { type ActivationIdentifier, getActivation, serializeActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { type LayerConfig, type LayerOptions, Layer, type SymbolicShape } from '../layer.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import { dense } from '../ops/dense.js';
import { serializeInitializer, serializeOptional } from '../serialize.js';

/** Options of {@link Dense}, Keras's keyword arguments in camelCase. */
export interface DenseOptions extends LayerOptions {
  /** Applied to the output; default none (linear). */
  activation?: ActivationIdentifier | null;
  /** Whether to add a bias vector; default true. */
  useBias?: boolean;
  /** Default 'glorot_uniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Size of the input's last axis on a first layer; the same as `inputShape: [inputDim]`. */
  inputDim?: number;
}

/**
 * A densely connected layer: `activation(x · kernel + bias)` on the last axis of an input of any rank ≥ 2.
 * The kernel has shape [inputDim, units]. Forward and backward run as one fused op.
 *
 * @example
 * ```ts
 * const layer = new Dense(50, { inputShape: [2], activation: 'relu', kernelInitializer: 'he_uniform' });
 * layer.apply(tensor([[0.5, -1]])).shape; // [1, 50]
 * ```
 */
export class Dense extends Layer {
  static readonly className = 'Dense';
  /** The number of output features. */
  readonly units: number;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** The kernel, [inputDim, units] (after build). */
  kernel!: Variable;
  /** The bias, [units] (after build; null without useBias). */
  bias: Variable | null = null;
  private readonly activationId: ActivationIdentifier | null;
  private readonly options: DenseOptions;

  constructor(units: number, options: DenseOptions = {}) {
    super({ ...options, inputShape: options.inputShape ?? (options.inputDim !== undefined ? [options.inputDim] : undefined) });
    if (!Number.isInteger(units) || units < 1) throw new Error(`Dense: units must be a positive integer, got ${units}`);
    this.units = units;
    this.useBias = options.useBias ?? true;
    this.activationId = options.activation ?? null;
    getActivation(this.activationId); // fail early on an unknown name
    this.options = options;
  }

  override build(inputShape: SymbolicShape): void {
    const inDim = inputShape.at(-1);
    if (inputShape.length < 2 || inDim === null || inDim === undefined) {
      throw new Error(`${this.name} (Dense): the input needs a known last dimension and rank ≥ 2, got (${inputShape.map((d) => d ?? 'None').join(', ')})`);
    }
    this.kernel = this.addWeight('kernel', [inDim, this.units], {
      initializer: this.options.kernelInitializer ?? 'glorot_uniform',
      regularizer: this.options.kernelRegularizer,
      constraint: this.options.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], {
        initializer: this.options.biasInitializer ?? 'zeros',
        regularizer: this.options.biasRegularizer,
        constraint: this.options.biasConstraint,
      });
    }
  }

  protected override checkInput(shape: Shape): void {
    this.checkInputSpec(shape, { minRank: 2, axes: { [-1]: this.kernel.shape[0] } });
  }

  override call(x: Tensor): Tensor {
    return dense(x, this.kernel, this.bias, this.activationId);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): LayerConfig {
    const o = this.options;
    const activation = serializeActivation(this.activationId, this.name);
    return {
      ...super.getConfig(),
      units: this.units,
      activation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(o.kernelInitializer ?? 'glorot_uniform'),
      biasInitializer: serializeInitializer(o.biasInitializer ?? 'zeros'),
      kernelRegularizer: serializeOptional(o.kernelRegularizer),
      biasRegularizer: serializeOptional(o.biasRegularizer),
      kernelConstraint: serializeOptional(o.kernelConstraint),
      biasConstraint: serializeOptional(o.biasConstraint),
    };
  }

  /** Rebuilds a Dense layer from {@link getConfig}'s output. */
  static fromConfig(config: LayerConfig): Dense {
    const { units, ...rest } = config as unknown as DenseOptions & { units: number };
    return new Dense(units, rest);
  }
}
