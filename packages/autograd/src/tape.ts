// GradientTape: records the ops run under it and computes gradients by walking the records backwards.
import { type Tensor, formatShape, onesLike, shapesEqual, zerosLike } from '@tapegrad/tensor';
import { backprop } from './backprop.js';
import { describeRecord } from './describe.js';
import { type Recording, type TapeRecord, type VjpFn, activate, constantSource, deactivate } from './recorder.js';
import { Variable } from './variable.js';

/** Options of a {@link GradientTape}. */
export interface GradientTapeOptions {
  /** Keep the records after a gradient so that several gradients can be taken; default false. */
  persistent?: boolean;
  /** Watch every trainable Variable an op reads; default true (as TensorFlow). */
  watchAccessedVariables?: boolean;
}

/** Options of {@link GradientTape.gradient}. */
export interface GradientOptions {
  /** The gradient of the target (its shape); required when the target is not a single element. Default 1. */
  outputGradient?: Tensor;
  /**
   * What a source that the target does not depend on gets: `'none'` (default, as TensorFlow) gives null,
   * `'zero'` a tensor of zeros of the source's shape.
   */
  unconnected?: 'none' | 'zero';
}

// The tapes that hold records, newest last, held weakly (a tape whose gradient is never taken must stay
// collectable): producerOf looks a tensor up in them. One entry per tape rather than a WeakMap entry per recorded
// tensor: V8 keeps the keys of a long-lived WeakMap alive into the old generation, so every recorded tensor was
// promoted and the full collections that followed doubled the cost of a small op on a tape.
const holding = new Set<WeakRef<GradientTape>>();
let pruneAt = 64;

/** Adds a tape to {@link holding}, dropping the references to collected tapes when the set has doubled. */
function hold(ref: WeakRef<GradientTape>): void {
  holding.add(ref);
  if (holding.size < pruneAt) return;
  for (const r of holding) if (r.deref() === undefined) holding.delete(r);
  pruneAt = Math.max(64, 2 * holding.size);
}

/** The record of the op that produced `t`, while a tape holding it keeps its records (the newest tape's, when nested). */
export function producerOf(t: Tensor): TapeRecord | undefined {
  let found: TapeRecord | undefined;
  for (const ref of holding) found = ref.deref()?.recordOf(t) ?? found;
  return found;
}

/**
 * Records the ops run inside {@link GradientTape.run} and differentiates through them (as TensorFlow's
 * `tf.GradientTape`). Trainable variables are watched automatically; other tensors need {@link watch}.
 *
 * A tape drops its records after its first gradient unless it is `persistent`, so nothing needs
 * disposing: a training loop that makes a new tape per step uses flat memory.
 *
 * @example
 * ```ts
 * const w = new Variable(tensor([[1], [2]]), { name: 'w' });
 * const x = tensor([[3, 4]]);
 * const tape = new GradientTape();
 * const loss = tape.run(() => sum(square(matmul(x, w))));
 * const dw = tape.gradient(loss, w); // 2·xᵀ·(x·w) = [[66], [88]]
 * ```
 */
export class GradientTape implements Recording {
  /** Whether the records survive a gradient call. */
  readonly persistent: boolean;
  /** Whether trainable variables read by an op are watched without a watch() call. */
  readonly watchAccessedVariables: boolean;
  private _records: TapeRecord[] = [];
  // The tensors the tape follows, each with the record that produced it (null for watched tensors and variables).
  private tracked = new Map<Tensor, TapeRecord | null>();
  private ref: WeakRef<GradientTape> | null = null;
  private variables = new Set<Variable>();
  private paused = false;
  private released = false;

  /** A new, empty tape; it records only inside {@link run}. */
  constructor(options: GradientTapeOptions = {}) {
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
  }

  /**
   * False while the tape computes its own gradient (its backward pass is not recorded on itself), and once it has
   * released its records (a gradient taken inside run() must not leave the rest of run() recording on a dead tape).
   */
  get recording(): boolean {
    return !this.paused && !this.released;
  }

  /** The records so far, in the order the ops ran. */
  get records(): readonly TapeRecord[] {
    return this._records;
  }

  /** Makes the tape follow these tensors, so gradients with respect to them can be taken. */
  watch(...tensors: Tensor[]): void {
    this.checkUsable('watch');
    for (const t of tensors) {
      if (!this.tracked.has(t)) this.tracked.set(t, null);
      if (t instanceof Variable) this.variables.add(t);
    }
  }

  /** The variables this tape watches, in the order it met them. */
  watchedVariables(): Variable[] {
    return [...this.variables];
  }

  /**
   * Runs `fn` with this tape active and returns its result: every op whose inputs the tape follows is recorded.
   * `fn` must be synchronous (a tape is active only until `fn` returns).
   */
  run<T>(fn: () => T): T {
    this.checkUsable('run');
    activate(this);
    try {
      const result = fn();
      if (result instanceof Promise) {
        throw new Error('GradientTape.run: fn returned a Promise; a tape records synchronous code only (await outside run)');
      }
      return result;
    } finally {
      deactivate(this);
    }
  }

  /** Whether the tape follows `t`. Part of the recorder protocol; trainable variables are watched on first use. */
  tracks(t: Tensor): boolean {
    if (this.tracked.has(t)) return true;
    if (this.watchAccessedVariables && t instanceof Variable && t.trainable) {
      this.tracked.set(t, null);
      this.variables.add(t);
      return true;
    }
    return false;
  }

  /** Appends a record. Part of the recorder protocol: only `record()` in recorder.ts calls it. */
  append(op: string, inputs: readonly Tensor[], output: Tensor, needs: boolean[], vjp: VjpFn, versions: number[]): void {
    const rec: TapeRecord = { id: this._records.length + 1, op, inputs, output, needs, vjp, versions };
    if (this._records.length === 0) hold((this.ref ??= new WeakRef(this)));
    this._records.push(rec);
    this.tracked.set(output, rec);
  }

  /** The record of the op that produced `t` on this tape, if it holds one. */
  recordOf(t: Tensor): TapeRecord | undefined {
    return this.tracked.get(t) ?? undefined;
  }

  /** Gradient of `target` with respect to one source (null if unconnected, unless `unconnected: 'zero'`). */
  gradient(target: Tensor, source: Tensor, options?: GradientOptions & { unconnected?: 'none' }): Tensor | null;
  gradient(target: Tensor, source: Tensor, options: GradientOptions & { unconnected: 'zero' }): Tensor;
  /** Gradients of `target` with respect to each source, in order. */
  gradient(target: Tensor, sources: readonly Tensor[], options?: GradientOptions & { unconnected?: 'none' }): (Tensor | null)[];
  gradient(target: Tensor, sources: readonly Tensor[], options: GradientOptions & { unconnected: 'zero' }): Tensor[];
  /**
   * Gradients of `target` with respect to `sources` by reverse-mode differentiation through the records.
   * @throws Error for a non-scalar target without `outputGradient`, a target made by a non-differentiable op,
   * or a non-persistent tape used a second time.
   */
  gradient(target: Tensor, sources: Tensor | readonly Tensor[], options: GradientOptions = {}): Tensor | null | (Tensor | null)[] {
    this.checkUsable('gradient');
    const list: readonly Tensor[] = Array.isArray(sources) ? sources : [sources as Tensor];
    const seed = this.seedFor(target, options.outputGradient);
    if (!this.tracked.has(target)) {
      const op = constantSource(target);
      if (op !== undefined) {
        throw new Error(`gradient: the target was produced by ${op}, whose output is not differentiable (integer or boolean values)`);
      }
    }
    this.paused = true;
    let grads: Map<Tensor, Tensor>;
    try {
      grads = this.tracked.has(target) ? backprop(this._records, target, seed, new Set(list)) : new Map([[target, seed]]);
    } finally {
      this.paused = false;
      if (!this.persistent) this.release();
    }
    const out = list.map((s) => grads.get(s) ?? (options.unconnected === 'zero' ? zerosLike(s) : null));
    return Array.isArray(sources) ? out : out[0];
  }

  /** Drops every record now (a non-persistent tape does this after its gradient). */
  release(): void {
    if (this.ref !== null) holding.delete(this.ref);
    this._records = [];
    this.tracked.clear();
    this.released = true;
  }

  /** The records, one line each: id, op, inputs and output with their shapes. */
  toString(): string {
    const head = `GradientTape(${this._records.length} records${this.persistent ? ', persistent' : ''}${this.released ? ', released' : ''})`;
    return [head, ...this._records.map((r) => '  ' + describeRecord(r))].join('\n');
  }

  private seedFor(target: Tensor, outputGradient: Tensor | undefined): Tensor {
    if (outputGradient !== undefined) {
      if (!shapesEqual(outputGradient.shape, target.shape) || outputGradient.dtype !== target.dtype) {
        throw new Error(
          `gradient: outputGradient has shape ${formatShape(outputGradient.shape)} (${outputGradient.dtype}) but the target has ` +
            `shape ${formatShape(target.shape)} (${target.dtype}); they must match`,
        );
      }
      return outputGradient;
    }
    if (target.size !== 1) {
      throw new Error(
        `gradient: the target has shape ${formatShape(target.shape)}, not a single element; reduce it to a scalar (e.g. with sum) ` +
          'or pass outputGradient with its shape',
      );
    }
    return onesLike(target);
  }

  private checkUsable(what: string): void {
    if (this.released) {
      throw new Error(
        `GradientTape.${what}: this tape has already computed a gradient and released its records; ` +
          'a non-persistent tape gives one gradient (create it with { persistent: true } for more)',
      );
    }
  }
}
