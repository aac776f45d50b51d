// Adam: adaptive moment estimation, Keras 3's form with the bias corrections folded into the step size (keras/src/optimizers/adam.py).
import type { TypedArray } from '@tapegrad/tensor';
import type { Variable } from '@tapegrad/autograd';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

/** Options of {@link Adam}: the base options (learningRate default 0.001) plus Adam's own. */
export interface AdamOptions extends OptimizerOptions {
  /** Decay rate of the first-moment estimate; default 0.9. */
  beta1?: number;
  /** Decay rate of the second-moment estimate; default 0.999. */
  beta2?: number;
  /** Added to sqrt(v) (not to the bias-corrected sqrt(v̂)); default 1e-7. */
  epsilon?: number;
  /** Use the running maximum of v (AMSGrad, slot 'velocity_hat'); default false. */
  amsgrad?: boolean;
}

/**
 * Adam as Keras 3 computes it. With t = iterations + 1 and slots 'momentum' (m) and 'velocity' (v), both starting at 0:
 * `α = lr·sqrt(1 - β2^t)/(1 - β1^t)`, `m ← m + (g - m)(1 - β1)`, `v ← v + (g² - v)(1 - β2)`,
 * `w ← w - α·m/(sqrt(v) + ε)`. With `amsgrad`, `v̂ ← max(v̂, v)` (slot 'velocity_hat') replaces v in the last step.
 * ε sits outside the bias correction: it equals PyTorch's eps only when scaled by sqrt(1 - β2^t).
 * @example
 * ```ts
 * const opt = new Adam({ learningRate: 1e-3, amsgrad: true });
 * opt.applyGradients([[grad, weight]]);
 * ```
 */
export class Adam extends Optimizer {
  /** The Keras class name, used in saved configs. */
  static readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  /** @throws Error for an unknown option (e.g. `lr`) or more than one clipping option. */
  constructor(options: AdamOptions = {}) {
    super(0.001, options, new.target.className);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.amsgrad = options.amsgrad ?? false;
  }

  protected acceptedOptions(): readonly string[] {
    return ['beta1', 'beta2', 'epsilon', 'amsgrad'];
  }

  protected override buildSlots(variable: Variable): void {
    this.addSlot(variable, 'momentum');
    this.addSlot(variable, 'velocity');
    if (this.amsgrad) this.addSlot(variable, 'velocity_hat');
  }

  protected updateStep(g: TypedArray, variable: Variable, lr: number): void {
    const t = this.iterations + 1;
    const alpha = (lr * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    const a1 = 1 - this.beta1;
    const a2 = 1 - this.beta2;
    const eps = this.epsilon;
    const w = variable.data;
    const m = this.getSlot(variable, 'momentum') as TypedArray;
    const v = this.getSlot(variable, 'velocity') as TypedArray;
    const vhat = this.amsgrad ? (this.getSlot(variable, 'velocity_hat') as TypedArray) : null;
    if (vhat !== null) {
      for (let i = 0; i < w.length; i++) {
        const gi = g[i];
        m[i] += (gi - m[i]) * a1;
        v[i] += (gi * gi - v[i]) * a2;
        vhat[i] = Math.max(vhat[i], v[i]); // propagates NaN, as ops.maximum does
        w[i] -= (m[i] * alpha) / (Math.sqrt(vhat[i]) + eps);
      }
      return;
    }
    // The slots' new values stay in locals, rounded as storing rounds them: typed arrays may share memory, so
    // reading m[i] back after storing v[i] would be a second load (this runs at ~2/3 of the time of the plain form).
    const n = w.length;
    if (m instanceof Float32Array) {
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const mi = Math.fround(m[i] + (gi - m[i]) * a1);
        const vi = Math.fround(v[i] + (gi * gi - v[i]) * a2);
        m[i] = mi;
        v[i] = vi;
        w[i] -= (mi * alpha) / (Math.sqrt(vi) + eps);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const mi = m[i] + (gi - m[i]) * a1;
        const vi = v[i] + (gi * gi - v[i]) * a2;
        m[i] = mi;
        v[i] = vi;
        w[i] -= (mi * alpha) / (Math.sqrt(vi) + eps);
      }
    }
  }

  /** The base config plus beta1, beta2, epsilon and amsgrad. */
  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
