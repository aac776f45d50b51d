// ReduceLROnPlateau: lowers the learning rate when a monitored quantity stalls (keras/src/callbacks/reduce_lr_on_plateau.py).
import { Callback, type Logs } from './callback.js';
import { type MonitorMode, checkMode, checkOptionNames, isImprovement, monitorDirection, requireModel } from './early-stopping.js';
import { printMsg, pyFloatRepr } from './progbar.js';

/** Options of {@link ReduceLROnPlateau} (Keras's arguments, camelCased). */
export interface ReduceLROnPlateauOptions {
  /** The logged quantity to watch; default 'val_loss'. */
  monitor?: string;
  /** new lr = lr * factor; must be < 1; default 0.1. */
  factor?: number;
  /** Epochs without improvement before a reduction; default 10. */
  patience?: number;
  /** 1 prints each reduction; default 0. */
  verbose?: number;
  /** Default 'auto'. */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement; default 1e-4. */
  minDelta?: number;
  /** Epochs after a reduction during which no epoch counts as waiting; default 0. */
  cooldown?: number;
  /** The learning rate is never reduced below this; default 0. */
  minLr?: number;
}

const OPTIONS = ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr'];

/**
 * Multiplies the learning rate by `factor` after `patience` epochs without improvement (Keras `callbacks.ReduceLROnPlateau`).
 * At each epoch end it logs `learning_rate` (the rate used during the epoch, read before any reduction, as the float32
 * value Keras's variable holds: 0.001 logs as 0.0010000000474974513 and prints as `0.0010`), then:
 * in cooldown, `cooldown -= 1` and `wait = 0`; an improvement stores the best and sets `wait = 0`; otherwise, outside
 * cooldown, `wait += 1`, and at `wait >= patience`, if lr > minLr: `lr = max(lr * factor, minLr)`, cooldown restarts, `wait = 0`.
 * @throws Error for `factor >= 1`.
 * @example
 * ```ts
 * const reduce = new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.2, patience: 5, minLr: 0.001 });
 * const history = await model.fit(x, y, { epochs: 50, validationSplit: 0.2, callbacks: [reduce] });
 * history.get('learning_rate'); // one rate per epoch
 * ```
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  /** Epochs left in the current cooldown. */
  cooldownCounter = 0;
  /** Epochs without improvement outside cooldown. */
  wait = 0;
  /** The best monitored value; null before the first one. */
  best: number | null = null;
  private direction: 'min' | 'max' | null = null;
  private warned = false;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    checkOptionNames('ReduceLROnPlateau', options, OPTIONS);
    const factor = options.factor ?? 0.1;
    if (!(factor < 1)) throw new Error(`ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${factor}`);
    this.monitor = options.monitor ?? 'val_loss';
    this.factor = factor;
    this.patience = options.patience ?? 10;
    this.verbose = options.verbose ?? 0;
    this.mode = checkMode('ReduceLROnPlateau', options.mode);
    this.minDelta = options.minDelta ?? 1e-4;
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
  }

  /** Whether a reduction happened fewer than `cooldown` epochs ago. */
  inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onTrainBegin(): void {
    this.cooldownCounter = 0;
    this.wait = 0;
    this.best = null;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const model = requireModel(this, 'ReduceLROnPlateau');
    this.direction ??= monitorDirection('ReduceLROnPlateau', this.monitor, this.mode, model);
    const optimizer = model.optimizer;
    // Keras keeps the rate in a float32 variable and reads it back as a float: log and reduce that value.
    logs.learning_rate = Math.fround(optimizer.learningRate); // before any reduction: the rate this epoch used
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) console.warn(`Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${Object.keys(logs).join(',')}.`);
      this.warned = true;
      return;
    }
    if (this.inCooldown()) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    const best = this.best ?? (this.direction === 'min' ? Infinity : -Infinity);
    if (isImprovement(current, best, this.direction, this.minDelta)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown()) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const oldLr = Math.fround(optimizer.learningRate);
        if (oldLr > Math.fround(this.minLr)) { // Keras compares with np.float32(min_lr)
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          optimizer.learningRate = newLr;
          if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pyFloatRepr(newLr)}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
