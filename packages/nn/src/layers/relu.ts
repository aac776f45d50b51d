// ReLU: the rectified linear unit with an optional cap, leak and threshold (keras/src/layers/activations/relu.py).
import type { Shape, Tensor } from '@tapegrad/tensor';
import { greater, minimum, mul, relu, sub, where } from '@tapegrad/autograd';
import { type LayerConfig, type LayerOptions, Layer, type SymbolicShape } from '../layer.js';

/** Options of {@link ReLU}: Keras's arguments, camelCased, with Keras's defaults. */
export interface ReLUOptions extends LayerOptions {
  /** The largest output (a number >= 0); default null: no cap. */
  maxValue?: number | null;
  /** Slope below the threshold (>= 0); default 0. */
  negativeSlope?: number;
  /** Inputs above it pass (>= 0); default 0. */
  threshold?: number;
}

/**
 * The rectified linear unit (Keras `layers.ReLU`):
 * y = min(x, maxValue) for x > threshold, y = negativeSlope·(x - threshold) otherwise.
 * The comparison is strict, so x == threshold gives 0; no cap when maxValue is null.
 *
 * Gradient: 1 (0 above maxValue; 1 at x == maxValue) for x > threshold, negativeSlope for x <= threshold.
 * Porting note: at the kink x == threshold Keras's gradient depends on which backend op it picks
 * (leaky_relu gives negative_slope, relu(-x + threshold) gives 0); here it is negativeSlope.
 * Like Keras the layer has no input spec: it accepts any shape on every call.
 *
 * @example
 * ```ts
 * const layer = new ReLU({ maxValue: 10, negativeSlope: 0.5 });
 * layer.apply(tensor([-10, -5, 0, 5, 10])).toArray(); // [-5, -2.5, 0, 5, 10]
 * ```
 */
export class ReLU extends Layer {
  static readonly className = 'ReLU';
  /** The cap, or null for none. */
  readonly maxValue: number | null;
  /** The slope below the threshold. */
  readonly negativeSlope: number;
  /** The threshold. */
  readonly threshold: number;

  /** @throws Error naming the option and the value when one is negative or not a number (as Keras). */
  constructor(options: ReLUOptions = {}) {
    super(options);
    this.maxValue = options.maxValue ?? null;
    this.negativeSlope = options.negativeSlope ?? 0;
    this.threshold = options.threshold ?? 0;
    if (this.maxValue !== null && !(typeof this.maxValue === 'number' && this.maxValue >= 0)) {
      throw new Error(`ReLU: maxValue cannot be a negative value; it must be null (no cap) or a number >= 0, got ${this.maxValue}`);
    }
    for (const [key, value] of [['negativeSlope', this.negativeSlope], ['threshold', this.threshold]] as const) {
      if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
        throw new Error(`ReLU: ${key} cannot be a negative value; it must be a finite number >= 0, got ${value}`);
      }
    }
  }

  override call(x: Tensor): Tensor {
    const { maxValue, negativeSlope, threshold } = this;
    if (maxValue === null && negativeSlope === 0 && threshold === 0) return relu(x); // the plain case, one kernel
    const above = maxValue === null ? x : minimum(x, maxValue);
    const below = negativeSlope === 0 ? 0 : mul(sub(x, threshold), negativeSlope);
    return where(greater(x, threshold), above, below);
  }

  /** Any shape is accepted on every call (Keras's ReLU has no input spec). */
  protected override checkInput(shape: Shape): void {
    void shape;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }

  /** Rebuilds the layer from {@link getConfig}'s output. */
  static fromConfig(config: LayerConfig): ReLU {
    return new ReLU(config as ReLUOptions);
  }
}
