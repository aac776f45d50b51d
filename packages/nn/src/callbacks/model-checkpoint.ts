// ModelCheckpoint: saves the model or its weights during fit (keras/src/callbacks/model_checkpoint.py), and the
// Python str.format subset its file paths use ({epoch:02d}, {val_loss:.2f}).
import type { Model } from '../models/model.js';
import { Callback, type Logs } from './callback.js';
import { type MonitorMode, checkMode, checkOptionNames, isImprovement, monitorDirection, requireModel } from './early-stopping.js';
import { formatExponential, formatFixed, printMsg, pyFloatRepr } from './progbar.js';

/** A value substituted into a checkpoint path template: `epoch` and `batch` are Python ints, logged values floats. */
type FormatValue = { value: number; int: boolean };

function formatField(name: string, spec: string, v: FormatValue, template: string): string {
  const m = /^([+\- ])?(0)?(\d+)?(?:\.(\d+))?([dfFe%]?)$/.exec(spec);
  const fail = (why: string): Error => new Error(`ModelCheckpoint: failed to format the filepath "${template}": {${name}:${spec}} ${why}`);
  if (m === null) throw fail("is not a supported format spec (supported: [sign][0][width][.precision][d|f|e|%])");
  const [, sign = '-', zero, width, precision, type] = m;
  const p = precision === undefined ? 6 : Number(precision);
  let body: string;
  if (type === 'd') {
    if (!v.int) throw fail(`uses 'd' but ${name} is a float (${pyFloatRepr(v.value)}); use .2f or similar`);
    body = String(v.value);
  } else if (type === 'f' || type === 'F') body = formatFixed(v.value, p);
  else if (type === 'e') body = formatExponential(v.value, p);
  else if (type === '%') body = `${formatFixed(v.value * 100, p)}%`;
  else if (precision !== undefined) throw fail('gives a precision without a type; add f or e');
  else body = v.int ? String(v.value) : pyFloatRepr(v.value);
  const neg = body.startsWith('-');
  const digits = neg ? body.slice(1) : body;
  const signText = neg ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  const pad = Math.max(0, Number(width ?? 0) - signText.length - digits.length);
  return zero ? signText + '0'.repeat(pad) + digits : ' '.repeat(pad) + signText + digits;
}

/**
 * Python's `template.format(**values)` for named fields: `{name}`, `{name:spec}` with spec `[sign][0][width][.precision][type]`,
 * type d (ints only), f, e or %; `{{` and `}}` are literal braces. Ints print as `3`, floats as Python's repr.
 * @throws Error naming the field and the available keys for a missing key or an unsupported spec.
 * @example `formatPath('ckpt-{epoch:02d}-{val_loss:.2f}', { epoch: 3 }, { val_loss: 0.12345 })` is `'ckpt-03-0.12'`
 */
export function formatPath(template: string, ints: Readonly<Record<string, number>>, floats: Readonly<Record<string, number>>): string {
  const values = new Map<string, FormatValue>();
  for (const [k, value] of Object.entries(floats)) values.set(k, { value, int: false });
  for (const [k, value] of Object.entries(ints)) values.set(k, { value, int: true });
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const colon = (field as string).indexOf(':');
    const name = colon < 0 ? (field as string) : (field as string).slice(0, colon);
    const v = values.get(name);
    if (v === undefined) {
      throw new Error(`ModelCheckpoint: failed to format the filepath "${template}": no key '${name}'; available: ${[...values.keys()].join(', ')}`);
    }
    return formatField(name, colon < 0 ? '' : (field as string).slice(colon + 1), v, template);
  });
}

/** Options of {@link ModelCheckpoint} (Keras's arguments, camelCased). */
export interface ModelCheckpointOptions {
  /** Where to save, formatted with `epoch` (1-based), `batch` (1-based, batch saves) and the log keys. */
  filepath: string;
  /** The logged quantity for saveBestOnly; default 'val_loss'. */
  monitor?: string;
  /** 1 prints each save decision; default 0. */
  verbose?: number;
  /** Save only when `monitor` improves on the best so far; default false. */
  saveBestOnly?: boolean;
  /** Call `model.saveWeights(path)` instead of `model.save(path)`; default false. */
  saveWeightsOnly?: boolean;
  /** Default 'auto'. */
  mode?: MonitorMode;
  /** 'epoch' (default): save at each epoch end; n: save every n training batches. */
  saveFreq?: 'epoch' | number;
  /** The best value to beat before the first save with saveBestOnly; default none. */
  initialValueThreshold?: number | null;
}

const OPTIONS = ['filepath', 'monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold'];

/** Whether the model has the saving method (written elsewhere; checked at run time so this file compiles without it). */
function hasSaveMethod<K extends 'save' | 'saveWeights'>(model: object, method: K): model is Record<K, (path: string) => Promise<void>> {
  return typeof (model as Record<string, unknown>)[method] === 'function';
}

/**
 * Saves the model (`await model.save(path)`) or its weights (`await model.saveWeights(path)`) at each epoch end or every
 * `saveFreq` batches (Keras `callbacks.ModelCheckpoint`). With `saveBestOnly`, only when `monitor` improves on the best
 * so far; a missing monitor key warns once and saves. The path is `filepath` formatted like Python's
 * `str.format`: `'ckpt/{epoch:02d}-{val_loss:.2f}'`.
 *
 * Porting note: tapegrad saves a model to a directory, not a `.keras` zip or `.weights.h5` file, so any path is accepted
 * (Keras requires those extensions); `save` creates the directory.
 * @example
 * ```ts
 * const checkpoint = new ModelCheckpoint({ filepath: 'checkpoints/best', monitor: 'val_accuracy', saveBestOnly: true });
 * await model.fit(x, y, { epochs: 20, validationSplit: 0.2, callbacks: [checkpoint] });
 * ```
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: MonitorMode;
  readonly saveFreq: 'epoch' | number;
  /** The best monitored value saved so far (initialValueThreshold before any); kept across fits, as in Keras. */
  best: number | null;
  private direction: 'min' | 'max' | null = null;
  private currentEpoch = 0;
  private batchesSinceSave = 0;
  private lastBatchSeen = 0;
  private warned = false;

  /** Keras's positional form: `new ModelCheckpoint('ckpt/{epoch:02d}', { saveBestOnly: true })`. */
  constructor(filepath: string, options?: Omit<ModelCheckpointOptions, 'filepath'>);
  /** Everything in one object: `new ModelCheckpoint({ filepath: 'ckpt/{epoch:02d}', saveBestOnly: true })`. */
  constructor(options: ModelCheckpointOptions);
  constructor(first: string | ModelCheckpointOptions, rest: Omit<ModelCheckpointOptions, 'filepath'> = {}) {
    super();
    const options: ModelCheckpointOptions = typeof first === 'string' ? { ...rest, filepath: first } : first;
    if (options === undefined || options === null || typeof options.filepath !== 'string') {
      throw new Error(
        "ModelCheckpoint: pass the path first, new ModelCheckpoint('dir/ckpt-{epoch:02d}', options), or " +
          "{ filepath: 'dir/ckpt-{epoch:02d}', ... }; filepath is required",
      );
    }
    checkOptionNames('ModelCheckpoint', options, OPTIONS);
    const saveFreq = options.saveFreq ?? 'epoch';
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && saveFreq > 0)) {
      throw new Error(`ModelCheckpoint: unrecognized saveFreq: ${String(saveFreq)}; expected 'epoch' or a positive integer (batches)`);
    }
    this.filepath = options.filepath;
    this.monitor = options.monitor ?? 'val_loss';
    this.verbose = options.verbose ?? 0;
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.saveWeightsOnly = options.saveWeightsOnly ?? false;
    this.mode = checkMode('ModelCheckpoint', options.mode);
    this.saveFreq = saveFreq;
    this.best = options.initialValueThreshold ?? null;
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs: Logs): Promise<void> {
    if (this.shouldSaveOnBatch(batch)) await this.saveModel(this.currentEpoch, batch, logs);
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    this.direction ??= monitorDirection('ModelCheckpoint', this.monitor, this.mode, requireModel(this, 'ModelCheckpoint'));
    if (this.saveFreq === 'epoch') await this.saveModel(epoch, null, logs);
  }

  /** Counts batches across epochs; true every saveFreq of them. */
  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === 'epoch') return false;
    this.batchesSinceSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen; // a new epoch restarts at 0
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave < this.saveFreq) return false;
    this.batchesSinceSave = 0;
    return true;
  }

  private shouldSave(epoch: number, logs: Logs, filepath: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: saving model to ${filepath}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      if (!this.warned) console.warn(`Can save best model only with ${this.monitor} available.`);
      this.warned = true;
      return true;
    }
    const direction = (this.direction ??= monitorDirection('ModelCheckpoint', this.monitor, this.mode, this.model));
    const bestText = this.best === null ? 'None' : formatFixed(this.best, 5);
    if (this.best === null || isImprovement(current, this.best, direction, 0)) {
      if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestText} to ${formatFixed(current, 5)}, saving model to ${filepath}`);
      this.best = current;
      return true;
    }
    if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestText}`);
    return false;
  }

  private async saveModel(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const ints: Record<string, number> = { epoch: epoch + 1 };
    if (batch !== null && !('batch' in logs)) ints.batch = batch + 1;
    const filepath = formatPath(this.filepath, ints, logs);
    if (!this.shouldSave(epoch, logs, filepath)) return;
    const model: Model = requireModel(this, 'ModelCheckpoint');
    if (this.saveWeightsOnly) {
      if (!hasSaveMethod(model, 'saveWeights')) throw new Error('ModelCheckpoint: the model has no saveWeights(path) method to save with');
      await model.saveWeights(filepath);
    } else {
      if (!hasSaveMethod(model, 'save')) throw new Error('ModelCheckpoint: the model has no save(dir) method to save with');
      await model.save(filepath);
    }
  }
}
