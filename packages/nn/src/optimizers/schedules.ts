// Learning-rate schedules (keras/src/optimizers/schedules): functions of the optimizer's step count.

/** A learning rate that depends on the number of completed optimizer steps. */
export interface LearningRateSchedule {
  /** The learning rate after `step` completed steps (0 before the first). */
  call(step: number): number;
  /** The JSON config that rebuilds it. */
  getConfig(): { className: string; config: Record<string, number | boolean> };
}

/** True for a schedule object (as opposed to a number). */
export function isSchedule(lr: unknown): lr is LearningRateSchedule {
  return typeof lr === 'object' && lr !== null && typeof (lr as LearningRateSchedule).call === 'function';
}

/** Options of {@link ExponentialDecay}. */
export interface ExponentialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole steps of decaySteps (floor the exponent); default false. */
  staircase?: boolean;
}

/**
 * lr = initialLearningRate · decayRate^(step / decaySteps), the exponent floored when `staircase`
 * (Keras `ExponentialDecay`; step = optimizer iterations, i.e. batches).
 * @example
 * ```ts
 * const lr = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
 * lr.call(100); // 0.05
 * ```
 */
export class ExponentialDecay implements LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(options: ExponentialDecayOptions) {
    if (!(options.decaySteps > 0)) throw new Error(`ExponentialDecay: decaySteps must be positive, got ${options.decaySteps}`);
    this.initialLearningRate = options.initialLearningRate;
    this.decaySteps = options.decaySteps;
    this.decayRate = options.decayRate;
    this.staircase = options.staircase ?? false;
  }

  call(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * Math.pow(this.decayRate, this.staircase ? Math.floor(p) : p);
  }

  getConfig(): { className: string; config: Record<string, number | boolean> } {
    return {
      className: 'ExponentialDecay',
      config: { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase },
    };
  }
}
