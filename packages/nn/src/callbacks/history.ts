// History: the per-epoch record of losses and metrics that fit returns (keras/src/callbacks/history.py).
import { Callback, type Logs } from './callback.js';

/**
 * Records every epoch's logs (Keras `callbacks.History`): `history.history[key]` holds one value per epoch run,
 * `history.epoch` the epoch indices (0-based), `history.params` fit's `{ verbose, epochs, steps }`.
 * Keys: `loss`, each metric (`accuracy`), `val_loss`, `val_accuracy`, and `learning_rate` when ReduceLROnPlateau or
 * LearningRateScheduler run. For convenience (not in Keras) the common keys are also properties
 * (`history.loss`, `history.accuracy`, `history.val_loss`, `history.val_accuracy`, empty when not logged),
 * and `get(key)` reads any key, naming the available ones when it is missing.
 * @example
 * ```ts
 * const history = await model.fit(x, y, { epochs: 3, validationSplit: 0.2 });
 * history.history.val_loss; // [0.52, 0.41, 0.37], the same array as history.val_loss and history.get('val_loss')
 * ```
 */
export class History extends Callback {
  /** One array per key, one value per epoch. */
  history: Record<string, number[]> = {};
  /** The epochs run (0-based). */
  epoch: number[] = [];

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  /**
   * The values logged under `key`, one per epoch.
   * @throws Error naming the available keys when `key` was never logged (tfjs users write 'acc' for 'accuracy').
   * @example `history.get('learning_rate')`
   */
  get(key: string): number[] {
    if (!this.has(key)) {
      const keys = Object.keys(this.history);
      throw new Error(`History: no key '${key}'; the logged keys are ${keys.length > 0 ? keys.join(', ') : 'none (no epoch has ended)'}`);
    }
    return this.history[key];
  }

  /** Whether `key` was logged. */
  has(key: string): boolean {
    return Object.hasOwn(this.history, key);
  }

  /** `history.history.loss`, or [] before any epoch. */
  get loss(): number[] {
    return this.history.loss ?? [];
  }

  /** `history.history.accuracy`, or [] when accuracy is not a metric. */
  get accuracy(): number[] {
    return this.history.accuracy ?? [];
  }

  /** `history.history.val_loss`, or [] without validation data. */
  get val_loss(): number[] {
    return this.history.val_loss ?? [];
  }

  /** `history.history.val_accuracy`, or [] without validation data or accuracy. */
  get val_accuracy(): number[] {
    return this.history.val_accuracy ?? [];
  }
}
