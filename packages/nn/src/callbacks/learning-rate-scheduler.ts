// LearningRateScheduler: sets the learning rate from a function of the epoch (keras/src/callbacks/learning_rate_scheduler.py).
import { Callback, type Logs } from './callback.js';
import { requireModel } from './early-stopping.js';
import { printMsg, pyFloatRepr } from './progbar.js';

/**
 * A schedule: the learning rate of epoch `epoch` (0-based) given the current one. `(epoch) => ...` works too.
 * @example `const halveEvery10: EpochSchedule = (epoch, lr) => (epoch > 0 && epoch % 10 === 0 ? lr / 2 : lr)`
 */
export type EpochSchedule = (epoch: number, lr: number) => number;

/**
 * Sets `optimizer.learningRate = schedule(epoch, lr)` before each epoch, and logs `learning_rate` at its end
 * (Keras `callbacks.LearningRateScheduler`). `lr` and the logged rate are float32 values, as Keras reads its float32 variable.
 * @throws Error at epoch begin when the schedule returns anything but a finite number (Keras: "should be a float"),
 * or, from the optimizer, when its learning rate is itself a schedule.
 * @example
 * ```ts
 * // keep the rate for 10 epochs, then decay it by e^-0.1 per epoch
 * const scheduler = new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 * await model.fit(x, y, { epochs: 15, callbacks: [scheduler] });
 * ```
 */
export class LearningRateScheduler extends Callback {
  constructor(
    readonly schedule: EpochSchedule,
    readonly verbose = 0,
  ) {
    super();
    if (typeof schedule !== 'function') throw new Error(`LearningRateScheduler: schedule must be a function (epoch, lr) => number, got ${typeof schedule}`);
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = requireModel(this, 'LearningRateScheduler').optimizer;
    const lr: unknown = this.schedule(epoch, Math.fround(optimizer.learningRate)); // Keras reads its float32 variable
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new Error(`LearningRateScheduler: the schedule must return a finite number; got ${String(lr)} at epoch ${epoch}`);
    }
    optimizer.learningRate = lr;
    if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pyFloatRepr(lr)}.`);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    logs.learning_rate = Math.fround(requireModel(this, 'LearningRateScheduler').optimizer.learningRate);
  }
}
