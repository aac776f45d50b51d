// Adagrad: per-element learning rates from the accumulated squared gradients (keras/src/optimizers/adagrad.py).
import type { TypedArray } from '@tapegrad/tensor';
import type { Variable } from '@tapegrad/autograd';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

/** Options of {@link Adagrad}: the base options (learningRate default 0.001) plus Adagrad's own. */
export interface AdagradOptions extends OptimizerOptions {
  /** Starting value of the 'accumulator' slot; default 0.1. */
  initialAccumulatorValue?: number;
  /** Added inside the square root; default 1e-7. */
  epsilon?: number;
}

/**
 * Adagrad as Keras 3 computes it, with slot 'accumulator' starting at initialAccumulatorValue:
 * `acc ← acc + g²`, `w ← w - lr·g/sqrt(acc + ε)`.
 * @example
 * ```ts
 * const opt = new Adagrad({ learningRate: 0.01 });
 * opt.applyGradients([[grad, weight]]);
 * ```
 */
export class Adagrad extends Optimizer {
  /** The Keras class name, used in saved configs. */
  static readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  /** @throws Error for an unknown option (e.g. `lr`) or more than one clipping option. */
  constructor(options: AdagradOptions = {}) {
    super(0.001, options, Adagrad.className);
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-7;
  }

  protected acceptedOptions(): readonly string[] {
    return ['initialAccumulatorValue', 'epsilon'];
  }

  protected override buildSlots(variable: Variable): void {
    this.addSlot(variable, 'accumulator', this.initialAccumulatorValue);
  }

  protected updateStep(g: TypedArray, variable: Variable, lr: number): void {
    const eps = this.epsilon;
    const w = variable.data;
    const acc = this.getSlot(variable, 'accumulator') as TypedArray;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      acc[i] += gi * gi;
      w[i] -= (lr * gi) / Math.sqrt(acc[i] + eps);
    }
  }

  /** The base config plus initialAccumulatorValue and epsilon. */
  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
