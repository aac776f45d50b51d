// RMSprop: gradients divided by a running root mean square, optionally centered and with momentum (keras/src/optimizers/rmsprop.py).
import type { TypedArray } from '@tapegrad/tensor';
import type { Variable } from '@tapegrad/autograd';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

/** Options of {@link RMSprop}: the base options (learningRate default 0.001) plus RMSprop's own. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Decay rate of the running averages; default 0.9. */
  rho?: number;
  /** Momentum factor; default 0 (no momentum slot). */
  momentum?: number;
  /** Added inside the square root; default 1e-7. */
  epsilon?: number;
  /** Divide by an estimate of the variance instead of the raw second moment; default false. */
  centered?: boolean;
}

/**
 * RMSprop as Keras 3 computes it, with slot 'velocity' (v, starts at 0): `v ← ρ·v + (1 - ρ)·g²`; when `centered`,
 * slot 'average_gradient' (a): `a ← ρ·a + (1 - ρ)·g` and `den = v - a² + ε`, else `den = v + ε`;
 * `inc = lr·g/sqrt(den)`; with momentum μ > 0, slot 'momentum': `mom ← μ·mom + inc; w ← w - mom`, else `w ← w - inc`.
 * @example
 * ```ts
 * const opt = new RMSprop({ learningRate: 1e-3, centered: true, momentum: 0.9 });
 * opt.applyGradients([[grad, weight]]);
 * ```
 */
export class RMSprop extends Optimizer {
  /** The Keras class name, used in saved configs. */
  static readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  /** @throws Error for an unknown option (e.g. `lr`) or more than one clipping option. */
  constructor(options: RMSpropOptions = {}) {
    super(0.001, options, RMSprop.className);
    this.rho = options.rho ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-7;
    this.centered = options.centered ?? false;
  }

  protected acceptedOptions(): readonly string[] {
    return ['rho', 'momentum', 'epsilon', 'centered'];
  }

  protected override buildSlots(variable: Variable): void {
    this.addSlot(variable, 'velocity');
    if (this.momentum > 0) this.addSlot(variable, 'momentum');
    if (this.centered) this.addSlot(variable, 'average_gradient');
  }

  protected updateStep(g: TypedArray, variable: Variable, lr: number): void {
    const rho = this.rho;
    const a1 = 1 - rho;
    const eps = this.epsilon;
    const mu = this.momentum;
    const w = variable.data;
    const v = this.getSlot(variable, 'velocity') as TypedArray;
    const mom = mu > 0 ? (this.getSlot(variable, 'momentum') as TypedArray) : null;
    const avg = this.centered ? (this.getSlot(variable, 'average_gradient') as TypedArray) : null;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      v[i] = rho * v[i] + a1 * (gi * gi);
      let den: number;
      if (avg !== null) {
        avg[i] = rho * avg[i] + a1 * gi;
        den = v[i] - avg[i] * avg[i] + eps;
      } else {
        den = v[i] + eps;
      }
      const inc = (lr * gi) / Math.sqrt(den);
      if (mom !== null) {
        mom[i] = mu * mom[i] + inc;
        w[i] -= mom[i];
      } else {
        w[i] -= inc;
      }
    }
  }

  /** The base config plus rho, momentum, epsilon and centered. */
  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
