// AdamW: Adam with decoupled weight decay, on by default (keras/src/optimizers/adamw.py).
import { Adam, type AdamOptions } from './adam.js';

/** Options of {@link AdamW}: Adam's, with weightDecay defaulting to 0.004 (null is refused). */
export type AdamWOptions = AdamOptions;

/**
 * Adam with decoupled weight decay (weightDecay default 0.004). Each step first decays every variable not
 * excluded with `excludeFromWeightDecay`, `w ← w - w·weightDecay·lr`, then applies {@link Adam}'s update
 * (`α = lr·sqrt(1 - β2^t)/(1 - β1^t)`, `m ← m + (g - m)(1 - β1)`, `v ← v + (g² - v)(1 - β2)`, `w ← w - α·m/(sqrt(v) + ε)`).
 * @example
 * ```ts
 * const opt = new AdamW({ learningRate: 1e-3, weightDecay: 0.01 });
 * opt.excludeFromWeightDecay(bias);
 * opt.applyGradients([[gradKernel, kernel], [gradBias, bias]]);
 * ```
 */
export class AdamW extends Adam {
  /** The Keras class name, used in saved configs. */
  static override readonly className: string = 'AdamW';

  /** @throws Error when weightDecay is null (as Keras raises for None), for an unknown option or for two clipping options. */
  constructor(options: AdamWOptions = {}) {
    if (options.weightDecay === null || (options.weightDecay !== undefined && typeof options.weightDecay !== 'number')) {
      throw new Error(`AdamW: weightDecay must be a number, got ${String(options.weightDecay)}`);
    }
    super({ ...options, weightDecay: options.weightDecay ?? 0.004, name: options.name ?? 'adamw' });
  }
}
