// TerminateOnNaN: ends training at the first NaN or infinite batch loss (keras/src/callbacks/terminate_on_nan.py).
import { Callback, type Logs } from './callback.js';
import { checkOptionNames, requireModel } from './early-stopping.js';
import { printMsg, pyFloatRepr } from './progbar.js';

/** Options of {@link TerminateOnNaN}. */
export interface TerminateOnNaNOptions {
  /** Throw instead of stopping gracefully; default false. */
  raiseError?: boolean;
}

/**
 * Watches `loss` after each training batch (Keras `callbacks.TerminateOnNaN`). On NaN or ±Infinity it prints
 * `Batch {batch}: Invalid loss, terminating training` and sets `model.stopTraining` (fit then ends normally, calling
 * `onTrainEnd`), or with `raiseError: true` throws an Error naming the epoch and batch, which fit rejects with
 * (no `onTrainEnd`). Epochs are named 1-based as the progress bar prints them, batches 0-based as Keras prints them.
 * @example
 * ```ts
 * await model.fit(x, y, { epochs: 10, callbacks: [new TerminateOnNaN({ raiseError: true })] });
 * // Error: TerminateOnNaN: NaN or Inf loss encountered in epoch 3/10 at batch 7. Loss value: nan. Terminating training immediately.
 * ```
 */
export class TerminateOnNaN extends Callback {
  readonly raiseError: boolean;
  private epoch = 0;

  constructor(options: TerminateOnNaNOptions = {}) {
    super();
    checkOptionNames('TerminateOnNaN', options, ['raiseError']);
    this.raiseError = options.raiseError ?? false;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.raiseError) {
      const epochs = this.params.epochs > 0 ? `/${this.params.epochs}` : '';
      throw new Error(
        `TerminateOnNaN: NaN or Inf loss encountered in epoch ${this.epoch + 1}${epochs} at batch ${batch}. ` +
          `Loss value: ${pyFloatRepr(loss)}. Terminating training immediately.`,
      );
    }
    printMsg(`Batch ${batch}: Invalid loss, terminating training`);
    requireModel(this, 'TerminateOnNaN').stopTraining = true;
  }
}
