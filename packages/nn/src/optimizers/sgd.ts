// SGD: stochastic gradient descent with optional (Nesterov) momentum, Keras 3's form (keras/src/optimizers/sgd.py).
import type { TypedArray } from '@tapegrad/tensor';
import type { Variable } from '@tapegrad/autograd';
import { Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';

/** Options of {@link SGD}: the base options (learningRate default 0.01) plus momentum and nesterov. */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor in [0, 1]; default 0 (plain gradient descent, no slot). */
  momentum?: number;
  /** Use Nesterov momentum; default false. */
  nesterov?: boolean;
}

/**
 * Gradient descent with optional momentum, as Keras 3 writes it. Without momentum: `w ← w - lr·g`.
 * With momentum μ, velocity slot 'momentum' (starts at 0): `v ← μ·v - lr·g`, then `w ← w + v`, or with
 * `nesterov` `w ← w + μ·v - lr·g` (using the new v). This differs from PyTorch and TensorFlow.js
 * (`a ← μ·a + g; w ← w - lr·a`) when the learning rate changes between steps.
 * @example
 * ```ts
 * const opt = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * opt.applyGradients([[grad, weight]]);
 * ```
 */
export class SGD extends Optimizer {
  /** The Keras class name, used in saved configs. */
  static readonly className = 'SGD';
  /** The momentum factor μ. */
  readonly momentum: number;
  /** Whether the update uses Nesterov momentum. */
  readonly nesterov: boolean;

  /** @throws Error for an unknown option (e.g. `lr`), more than one clipping option, or momentum outside [0, 1]. */
  constructor(options: SGDOptions = {}) {
    super(0.01, { ...options, name: options.name ?? 'SGD' }, SGD.className);
    const momentum = options.momentum ?? 0;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
      throw new Error(`SGD: momentum must be a number in [0, 1], got ${momentum}`);
    }
    this.momentum = momentum;
    this.nesterov = options.nesterov ?? false;
  }

  protected acceptedOptions(): readonly string[] {
    return ['momentum', 'nesterov'];
  }

  protected override buildSlots(variable: Variable): void {
    if (this.momentum !== 0) this.addSlot(variable, 'momentum');
  }

  protected updateStep(g: TypedArray, variable: Variable, lr: number): void {
    const w = variable.data;
    const n = w.length;
    if (this.momentum === 0) {
      for (let i = 0; i < n; i++) w[i] -= g[i] * lr;
      return;
    }
    const v = this.getSlot(variable, 'momentum') as TypedArray;
    const mu = this.momentum;
    if (this.nesterov) {
      for (let i = 0; i < n; i++) {
        v[i] = -g[i] * lr + v[i] * mu;
        w[i] += -g[i] * lr + v[i] * mu; // the new v, as stored in the variable's dtype
      }
    } else {
      for (let i = 0; i < n; i++) {
        v[i] = -g[i] * lr + v[i] * mu;
        w[i] += v[i];
      }
    }
  }

  /** The base config plus momentum and nesterov. */
  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
