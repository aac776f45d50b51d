// ProgbarLogger: the callback that prints fit's epochs, evaluate's and predict's progress (keras/src/callbacks/progbar_logger.py).
import { Callback, type Logs, type TrainingParams } from './callback.js';
import { Progbar, type TextWriter, printMsg } from './progbar.js';

/** Options of {@link ProgbarLogger}: where to print and which clock to read (for tests); Keras has none of these. */
export interface ProgbarLoggerOptions {
  /** Default `process.stdout`. */
  writer?: TextWriter;
  /** Redraw in place; default `writer.isTTY` (elsewhere only each finished line is printed). */
  dynamic?: boolean;
  /** The time in seconds; default `performance.now() / 1000`. */
  clock?: () => number;
}

/**
 * Prints progress from `params.verbose`, `params.epochs` and `params.steps` (Keras `callbacks.ProgbarLogger`).
 * The hooks pick the mode, as in Keras:
 * - fit (train hooks): `Epoch {epoch+1}/{epochs}` before each epoch when epochs > 1, then a {@link Progbar} per epoch
 *   fed by each batch's running means, finished at epoch end with the epoch logs (val_* included). verbose=2 prints
 *   only the finished line `16/16 - 0s - 3ms/step - accuracy: 0.8460 - loss: 0.3561`. Test hooks inside fit are silent.
 * - evaluate (test hooks outside fit): one bar over the test batches, finished with the final logs.
 * - predict (predict hooks): one bar without values, e.g. `32/32 ━━━━━━━━━━━━━━━━━━━━ 0s 1ms/step`.
 * verbose=0 prints nothing. Every hook is synchronous.
 * @example
 * ```ts
 * const logger = new ProgbarLogger();
 * logger.setParams({ verbose: 1, epochs: 1, steps: 4 });
 * logger.onTestBegin({});
 * for (let b = 0; b < 4; b++) logger.onTestBatchEnd(b, { loss: 0.3 });
 * logger.onTestEnd({ loss: 0.3 }); // 4/4 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - loss: 0.3000
 * ```
 */
export class ProgbarLogger extends Callback {
  /** The bar of the current epoch, evaluation or prediction. */
  progbar: Progbar | null = null;
  /** Steps per bar (params.steps); null when unknown, then the steps seen are used at the end. */
  target: number | null = null;
  /** params.verbose. */
  verbose = 1;
  /** params.epochs. */
  epochs = 1;
  private seen = 0;
  private calledInFit = false;
  private readonly options: ProgbarLoggerOptions;

  constructor(options: ProgbarLoggerOptions = {}) {
    super();
    this.options = options;
  }

  override setParams(params: TrainingParams): void {
    super.setParams(params);
    this.verbose = params.verbose;
    this.epochs = params.epochs;
    this.target = params.steps > 0 ? params.steps : null;
  }

  override onTrainBegin(): void {
    this.calledInFit = true; // validation inside fit prints nothing
  }

  override onTrainEnd(): void {
    this.calledInFit = false; // Porting note: Keras never resets this, so a logger reused after fit stays silent in evaluate
  }

  override onEpochBegin(epoch: number): void {
    this.resetProgbar();
    this.maybeInitProgbar();
    if (this.verbose && this.epochs > 1) printMsg(`Epoch ${epoch + 1}/${this.epochs}`, this.writer());
  }

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    this.updateProgbar(batch, logs);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.finalizeProgbar(logs);
  }

  override onTestBegin(): void {
    if (this.calledInFit) return;
    this.resetProgbar();
    this.maybeInitProgbar();
  }

  override onTestBatchEnd(batch: number, logs: Logs): void {
    if (!this.calledInFit) this.updateProgbar(batch, logs);
  }

  override onTestEnd(logs: Logs): void {
    if (!this.calledInFit) this.finalizeProgbar(logs);
  }

  override onPredictBegin(): void {
    this.resetProgbar();
    this.maybeInitProgbar();
  }

  override onPredictBatchEnd(batch: number): void {
    this.updateProgbar(batch, {}); // predictions are not printed
  }

  override onPredictEnd(logs: Logs): void {
    this.finalizeProgbar(logs);
  }

  private writer(): TextWriter {
    return this.options.writer ?? process.stdout;
  }

  private resetProgbar(): void {
    this.seen = 0;
    this.progbar = null;
  }

  private maybeInitProgbar(): Progbar {
    if (this.progbar === null) {
      this.progbar = new Progbar(this.target, {
        verbose: this.verbose, unitName: 'step', writer: this.writer(), dynamic: this.options.dynamic, clock: this.options.clock,
      });
    }
    return this.progbar;
  }

  private updateProgbar(batch: number, logs: Logs): void {
    const bar = this.maybeInitProgbar();
    this.seen = batch + 1; // one-based
    if (this.verbose === 1) bar.update(this.seen, logs, false);
  }

  private finalizeProgbar(logs: Logs): void {
    const bar = this.maybeInitProgbar();
    if (this.target === null) {
      this.target = this.seen;
      bar.target = this.seen;
    }
    bar.update(this.target, logs, true);
  }
}
