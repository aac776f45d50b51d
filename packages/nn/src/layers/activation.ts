// Activation: applies one activation function, by Keras name or as a function (keras/src/layers/activations/activation.py).
import type { Shape, Tensor } from '@tapegrad/tensor';
import { type ActivationFn, type ActivationIdentifier, activationName, getActivation } from '../activations.js';
import { type LayerConfig, type LayerOptions, Layer, type SymbolicShape } from '../layer.js';

/**
 * Applies an activation function to its input: y = activation(x), elementwise (softmax along the last axis)
 * (Keras `layers.Activation`). The activation is a Keras name from {@link activations} (snake_case or
 * camelCase) or a function of a tensor built from differentiable ops; `null` is the identity ('linear').
 *
 * Porting note: like Keras the layer has no input spec, so it accepts inputs of any shape on every call.
 *
 * @example
 * ```ts
 * const layer = new Activation('relu');
 * layer.apply(tensor([[-1, 0, 2]])).toArray(); // [[0, 0, 2]]
 * ```
 */
export class Activation extends Layer {
  static readonly className = 'Activation';
  /** The function applied. */
  readonly activation: ActivationFn;
  private readonly activationId: ActivationIdentifier | null;

  /**
   * @param activation - a Keras activation name (`'relu'`, `'leaky_relu'` or `'leakyRelu'`, ...), a function, or null (linear)
   * @throws Error naming the layer and listing the valid names for an unknown one.
   */
  constructor(activation: ActivationIdentifier | null, options: LayerOptions = {}) {
    super(options);
    if (activation === undefined) {
      throw new Error("Activation: the activation argument is required (a Keras name such as 'relu', a function, or null for linear)");
    }
    if (activation !== null && typeof activation !== 'string' && typeof activation !== 'function') {
      throw new Error(`Activation: activation must be a name, a function or null, got ${typeof activation}`);
    }
    try {
      this.activation = getActivation(activation);
    } catch (e) {
      throw new Error(`Activation: ${(e as Error).message}`);
    }
    this.activationId = activation;
  }

  override call(x: Tensor): Tensor {
    return this.activation(x);
  }

  /** Any shape is accepted on every call (Keras's Activation has no input spec). */
  protected override checkInput(shape: Shape): void {
    void shape;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  /**
   * The config, with the activation saved by its Keras name (a user's function by its own name, which
   * `fromConfig` can only resolve if it is a Keras name).
   * @throws Error for an anonymous function, which no config can name.
   */
  override getConfig(): LayerConfig {
    const id = this.activationId;
    let activation: string;
    if (id === null) activation = 'linear';
    else if (typeof id === 'string') activation = activationName(this.activation) ?? id;
    else activation = activationName(id) ?? id.name;
    if (activation === '') {
      throw new Error(`${this.name} (Activation): getConfig cannot name an anonymous activation function; use a Keras name or a named function`);
    }
    return { ...super.getConfig(), activation };
  }

  /** Rebuilds the layer from {@link getConfig}'s output. */
  static fromConfig(config: LayerConfig): Activation {
    const { activation, ...rest } = config as unknown as LayerOptions & { activation: string | null };
    return new Activation(activation, rest);
  }
}
