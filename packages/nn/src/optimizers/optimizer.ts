// Optimizer: the base class. It owns Keras's step order (clipping, weight decay, update, constraints, iterations);
// a subclass owns one update formula for one variable (updateStep) and its slots.
import type { Tensor, TypedArray } from '@tapegrad/tensor';
import type { Variable } from '@tapegrad/autograd';
import { constraintOf } from '../layer.js';
import { type LearningRateSchedule, isSchedule } from './schedules.js';

/** What an optimizer's learning rate can be: a number, a schedule, or a function called at every step. */
export type LearningRateSetting = number | LearningRateSchedule | (() => number);

/** Options every optimizer accepts (Keras's base optimizer arguments, camelCased). */
export interface OptimizerOptions {
  /**
   * A number; a schedule, called with the number of completed steps; or a function of no arguments, called at
   * every step (Keras's callable learning rate). Each optimizer has its default.
   */
  learningRate?: LearningRateSetting;
  /** Decoupled weight decay: w ← w - w·weightDecay·lr before the update; default none. */
  weightDecay?: number | null;
  /** Rescale each gradient to at most this L2 norm. */
  clipnorm?: number | null;
  /** Clip each gradient element into [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Rescale all gradients together so their joint L2 norm is at most this. */
  globalClipnorm?: number | null;
  /** A name for printouts; default the snake_case class name. */
  name?: string;
}

/** The JSON-able configuration of an optimizer. */
export type OptimizerConfig = { [key: string]: unknown };

/** An optimizer's state for saving: the iteration count and every slot of every variable, in variable order. */
export interface OptimizerState {
  iterations: number;
  /** slots[i][name] holds variable i's slot `name`. */
  slots: Record<string, Float32Array | Float64Array>[];
}

/**
 * The base class of optimizers. `applyGradients` runs one step in Keras's order: clip (clipnorm,
 * clipvalue or globalClipnorm), decoupled weight decay, `updateStep` for each variable, constraints,
 * then `iterations += 1`. Updates are plain loops over the variables' typed arrays, outside any tape.
 */
export abstract class Optimizer {
  /** The number of steps applied so far. */
  iterations = 0;
  /** The optimizer's name. */
  readonly name: string;
  /** Decoupled weight decay factor, or null. */
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  private lr: LearningRateSetting;
  private readonly slotMaps = new Map<string, Map<Variable, TypedArray>>();
  private readonly known: Variable[] = [];
  private readonly knownSet = new Set<Variable>();
  private readonly excludedFromDecay = new Set<Variable>();

  constructor(defaultLearningRate: number, options: OptimizerOptions, className: string) {
    const unknown = Object.keys(options).filter(
      (k) => !['learningRate', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm', 'name'].includes(k) && !this.acceptedOptions().includes(k),
    );
    if (unknown.length > 0) {
      const hint = unknown.includes('lr') ? " (Keras 3 spells it 'learningRate')" : '';
      throw new Error(`${className}: argument(s) not recognized: ${unknown.join(', ')}${hint}`);
    }
    const clips = [options.clipnorm, options.clipvalue, options.globalClipnorm].filter((c) => c !== undefined && c !== null);
    if (clips.length > 1) throw new Error(`${className}: only one of clipnorm, clipvalue and globalClipnorm can be set`);
    const lr = options.learningRate ?? defaultLearningRate;
    if (typeof lr === 'number' && !(lr >= 0)) throw new Error(`${className}: learningRate must be a non-negative number, got ${lr}`);
    if (typeof lr !== 'number' && typeof lr !== 'function' && !isSchedule(lr)) {
      throw new Error(`${className}: learningRate must be a number, a schedule or a function returning a number, got ${String(lr)}`);
    }
    this.lr = lr;
    this.name = options.name ?? className.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    this.weightDecay = options.weightDecay ?? null;
    this.clipnorm = options.clipnorm ?? null;
    this.clipvalue = options.clipvalue ?? null;
    this.globalClipnorm = options.globalClipnorm ?? null;
  }

  /** Names of the subclass's own constructor options (for the unknown-argument check). */
  protected abstract acceptedOptions(): readonly string[];

  /**
   * Applies one optimizer step to one variable: `g` is its (clipped) gradient, row-major, which it must only read;
   * `lr` is this step's learning rate.
   */
  protected abstract updateStep(g: TypedArray, variable: Variable, lr: number): void;

  /** Creates this optimizer's slots for a new variable (with {@link addSlot}). Default: none. */
  protected buildSlots(variable: Variable): void {
    void variable;
  }

  /** The learning rate of the next step (a schedule is evaluated at the current iteration count, a function called). */
  get learningRate(): number {
    if (typeof this.lr === 'number') return this.lr;
    const lr = isSchedule(this.lr) ? this.lr.call(this.iterations) : this.lr();
    if (typeof lr !== 'number' || !(lr >= 0)) {
      throw new Error(`${this.name}: the learning-rate ${isSchedule(this.lr) ? 'schedule' : 'function'} returned ${String(lr)}; expected a non-negative number`);
    }
    return lr;
  }

  /**
   * Sets a constant learning rate (callbacks such as ReduceLROnPlateau do this).
   * @throws Error when the optimizer was made with a schedule, as Keras does.
   */
  set learningRate(value: number) {
    if (typeof this.lr !== 'number') {
      throw new Error(`${this.name}: the learning rate is a ${isSchedule(this.lr) ? 'schedule' : 'function'} and cannot be set to a number`);
    }
    if (!(value >= 0)) throw new Error(`${this.name}: learningRate must be a non-negative number, got ${value}`);
    this.lr = value;
  }

  /** The learning rate as given: a number, a schedule or a function. */
  get learningRateSetting(): LearningRateSetting {
    return this.lr;
  }

  /** Keeps `variable` out of weight decay (Keras's `exclude_from_weight_decay`). */
  excludeFromWeightDecay(variable: Variable): void {
    this.excludedFromDecay.add(variable);
  }

  /** A zero-filled slot named `name` for `variable` (or filled with `init`), made once. */
  protected addSlot(variable: Variable, name: string, init = 0): TypedArray {
    let map = this.slotMaps.get(name);
    if (map === undefined) {
      map = new Map();
      this.slotMaps.set(name, map);
    }
    let slot = map.get(variable);
    if (slot === undefined) {
      slot = variable.dtype === 'float64' ? new Float64Array(variable.size) : new Float32Array(variable.size);
      if (init !== 0) slot.fill(init);
      map.set(variable, slot);
    }
    return slot;
  }

  /** The slot `name` of `variable` (e.g. Adam's 'momentum' and 'velocity'), for inspection. */
  getSlot(variable: Variable, name: string): TypedArray | undefined {
    return this.slotMaps.get(name)?.get(variable);
  }

  /** The names of the slots this optimizer keeps per variable. */
  get slotNames(): string[] {
    return [...this.slotMaps.keys()];
  }

  /** The variables this optimizer has built slots for, in the order it met them. */
  get variables(): readonly Variable[] {
    return this.known;
  }

  /**
   * Applies gradients to variables: one optimizer step. Pairs whose gradient is null are skipped; an empty
   * list is a no-op that does not count as a step (Keras's `apply`).
   * @throws Error naming the variable when a gradient's size differs from its variable's, and when every
   * gradient is null (Keras: "No gradients provided for any variable").
   */
  applyGradients(pairs: readonly (readonly [Tensor | null, Variable])[]): void {
    if (pairs.length === 0) return;
    const live = pairs.filter((p): p is readonly [Tensor, Variable] => p[0] !== null);
    if (live.length === 0) {
      const names = pairs.map(([, v]) => `'${v.name}'`).join(', ');
      throw new Error(`${this.name}: no gradients provided for any variable (${names}): check that the loss depends on them`);
    }
    for (const [g, v] of live) {
      if (g.size !== v.size) throw new Error(`${this.name}: the gradient for '${v.name}' has ${g.size} elements, the variable ${v.size}`);
      if (!this.knownSet.has(v)) {
        this.knownSet.add(v);
        this.known.push(v);
        this.buildSlots(v);
      }
    }
    const clipping = (this.clipnorm ?? 0) > 0 || (this.globalClipnorm ?? 0) > 0 || (this.clipvalue ?? 0) > 0;
    // Clipping writes into private copies; without it updateStep reads the gradients' own elements.
    const grads = live.map(([g]) => (clipping ? g.toTypedArray() : elementsOf(g)));
    if (clipping) this.clip(grads);
    const lr = this.learningRate;
    live.forEach(([, v], i) => {
      if (this.weightDecay !== null && this.weightDecay > 0 && !this.excludedFromDecay.has(v)) {
        const k = 1 - this.weightDecay * lr;
        const w = v.data;
        for (let j = 0; j < w.length; j++) w[j] *= k;
      }
      this.updateStep(grads[i], v, lr);
      const constraint = constraintOf(v);
      if (constraint) v.assign(constraint.apply(v));
      v.markChanged();
    });
    this.iterations++;
  }

  /** Clips gradients in place by clipnorm, globalClipnorm or clipvalue (Keras's formulas; a threshold ≤ 0 clips nothing, as in Keras). */
  private clip(grads: TypedArray[]): void {
    const scale = (g: TypedArray, s: number): void => {
      for (let j = 0; j < g.length; j++) g[j] *= s;
    };
    const sq = (g: TypedArray): number => {
      let s = 0;
      for (let j = 0; j < g.length; j++) s += g[j] * g[j];
      return s;
    };
    if (this.clipnorm !== null && this.clipnorm > 0) {
      for (const g of grads) {
        const norm = Math.sqrt(sq(g));
        if (norm > this.clipnorm) scale(g, this.clipnorm / norm); // g·clipnorm/max(‖g‖, clipnorm)
      }
    } else if (this.globalClipnorm !== null && this.globalClipnorm > 0) {
      const total = Math.sqrt(grads.reduce((s, g) => s + sq(g), 0));
      if (total > this.globalClipnorm) for (const g of grads) scale(g, this.globalClipnorm / total);
    } else if (this.clipvalue !== null && this.clipvalue > 0) {
      const c = this.clipvalue;
      for (const g of grads) for (let j = 0; j < g.length; j++) g[j] = Math.min(c, Math.max(-c, g[j]));
    }
  }

  /** The configuration: learning rate (or its schedule's config), clipping and weight decay, plus the subclass's. */
  getConfig(): OptimizerConfig {
    return {
      name: this.name,
      learningRate: this.learningRateConfig(),
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
    };
  }

  private learningRateConfig(): number | ReturnType<LearningRateSchedule['getConfig']> {
    if (typeof this.lr === 'number') return this.lr;
    if (isSchedule(this.lr)) return this.lr.getConfig();
    throw new Error(
      `${this.name}: a learning rate given as a function cannot be saved; pass a number or a schedule ` +
        '(an object with call(step) and getConfig()) to save this optimizer',
    );
  }

  /** The iteration count and copies of every slot, in the order of `variables` (for saving). */
  getState(variables: readonly Variable[]): OptimizerState {
    return {
      iterations: this.iterations,
      slots: variables.map((v) => {
        const out: Record<string, Float32Array | Float64Array> = {};
        for (const [name, map] of this.slotMaps) {
          const slot = map.get(v);
          if (slot) out[name] = slot.slice();
        }
        return out;
      }),
    };
  }

  /** Restores {@link getState}'s output for the same variables in the same order. */
  setState(variables: readonly Variable[], state: OptimizerState): void {
    this.iterations = state.iterations;
    variables.forEach((v, i) => {
      if (!this.knownSet.has(v)) {
        this.knownSet.add(v);
        this.known.push(v);
        this.buildSlots(v);
      }
      for (const [name, values] of Object.entries(state.slots[i] ?? {})) {
        const slot = this.addSlot(v, name);
        if (slot.length !== values.length) throw new Error(`${this.name}: saved slot '${name}' of '${v.name}' has ${values.length} values, expected ${slot.length}`);
        slot.set(values);
      }
    });
  }
}

/** The elements of `t` in row-major order: a view of its storage when it is contiguous, else a copy. */
function elementsOf(t: Tensor): TypedArray {
  if (!t.isContiguous) return t.toTypedArray();
  return t.offset === 0 && t.data.length === t.size ? t.data : t.data.subarray(t.offset, t.offset + t.size);
}
