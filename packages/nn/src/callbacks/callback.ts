// Callback: hooks into fit, evaluate and predict (keras/src/callbacks/callback.py), and the list that calls them.
import type { Model } from '../models/model.js';

/** Numbers reported to callbacks: running means of loss and metrics (`loss`, `accuracy`, `val_loss`, ...). */
export type Logs = Record<string, number>;

/** What fit tells callbacks before training: `verbose`, `epochs` and `steps` (batches per epoch). */
export interface TrainingParams {
  verbose: number;
  epochs: number;
  steps: number;
}

/** What a hook may return: nothing, or a promise fit waits for. */
export type HookResult = void | Promise<void>;

/**
 * The base class of callbacks. Override the hooks you need; each may be async. `model` and `params` are
 * set before training starts. Set `model.stopTraining = true` to end fit after the current batch.
 *
 * @example
 * ```ts
 * class PrintLoss extends Callback {
 *   override onEpochEnd(epoch: number, logs: Logs) { console.log(epoch, logs.loss); }
 * }
 * await model.fit(x, y, { callbacks: [new PrintLoss()] });
 * ```
 */
export class Callback {
  /** The model being trained or evaluated. */
  model: Model | null = null;
  /** fit's parameters. */
  params: TrainingParams = { verbose: 0, epochs: 0, steps: 0 };

  /** Called by fit, evaluate and predict before any hook. */
  setModel(model: Model): void {
    this.model = model;
  }

  /** Called by fit before training. */
  setParams(params: TrainingParams): void {
    this.params = params;
  }

  /** Before the first epoch. */
  onTrainBegin(logs: Logs): HookResult {
    void logs;
  }
  /** After the last epoch (or an early stop). */
  onTrainEnd(logs: Logs): HookResult {
    void logs;
  }
  /** Before each epoch (0-based). */
  onEpochBegin(epoch: number, logs: Logs): HookResult {
    void epoch, logs;
  }
  /** After each epoch, with its loss and metrics (and val_* ones). */
  onEpochEnd(epoch: number, logs: Logs): HookResult {
    void epoch, logs;
  }
  /** Before each training batch. */
  onTrainBatchBegin(batch: number, logs: Logs): HookResult {
    void batch, logs;
  }
  /** After each training batch, with the epoch's running means so far. */
  onTrainBatchEnd(batch: number, logs: Logs): HookResult {
    void batch, logs;
  }
  /** Before evaluation (also fit's validation pass). */
  onTestBegin(logs: Logs): HookResult {
    void logs;
  }
  /** After evaluation. */
  onTestEnd(logs: Logs): HookResult {
    void logs;
  }
  /** Before each evaluation batch. */
  onTestBatchBegin(batch: number, logs: Logs): HookResult {
    void batch, logs;
  }
  /** After each evaluation batch. */
  onTestBatchEnd(batch: number, logs: Logs): HookResult {
    void batch, logs;
  }
  /** Before prediction. */
  onPredictBegin(logs: Logs): HookResult {
    void logs;
  }
  /** After prediction. */
  onPredictEnd(logs: Logs): HookResult {
    void logs;
  }
  /** Before each prediction batch. */
  onPredictBatchBegin(batch: number, logs: Logs): HookResult {
    void batch, logs;
  }
  /** After each prediction batch. */
  onPredictBatchEnd(batch: number, logs: Logs): HookResult {
    void batch, logs;
  }
}

type Hook = 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd' | 'onPredictBegin' | 'onPredictEnd';
type IndexedHook =
  | 'onEpochBegin' | 'onEpochEnd' | 'onTrainBatchBegin' | 'onTrainBatchEnd'
  | 'onTestBatchBegin' | 'onTestBatchEnd' | 'onPredictBatchBegin' | 'onPredictBatchEnd';

/**
 * Calls a list of callbacks in order, awaiting only hooks that return a promise (so a synchronous
 * callback costs no event-loop turn per batch).
 */
export class CallbackList {
  constructor(readonly callbacks: readonly Callback[]) {}

  /** Gives every callback the model and (for fit) the parameters. */
  configure(model: Model, params?: TrainingParams): void {
    for (const c of this.callbacks) {
      c.setModel(model);
      if (params) c.setParams(params);
    }
  }

  /** Runs a hook without an index on every callback. */
  async call(hook: Hook, logs: Logs): Promise<void> {
    for (const c of this.callbacks) {
      const r = c[hook](logs);
      if (r instanceof Promise) await r;
    }
  }

  /** Runs a hook with an epoch or batch index on every callback. */
  async callAt(hook: IndexedHook, index: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) {
      const r = c[hook](index, logs);
      if (r instanceof Promise) await r;
    }
  }

  /**
   * Runs a hook (with an index, or without: pass null) without waiting: for the synchronous evaluate and
   * predict. Promises returned by async hooks are collected in `pending` when given (fit awaits them after
   * its validation pass); otherwise an async hook is an error.
   */
  callNow(hook: Hook | IndexedHook, index: number | null, logs: Logs, pending?: Promise<void>[]): void {
    for (const c of this.callbacks) {
      const r = index === null ? c[hook as Hook](logs) : c[hook as IndexedHook](index, logs);
      if (!(r instanceof Promise)) continue;
      if (pending === undefined) {
        throw new Error(`${c.constructor.name}.${hook} returned a Promise; evaluate and predict are synchronous, so their hooks must be too`);
      }
      pending.push(r);
    }
  }
}
