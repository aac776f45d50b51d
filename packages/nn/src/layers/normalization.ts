// Normalization: standardizes features with a mean and variance learned by adapt() (keras/src/layers/preprocessing/normalization.py).
import { type NestedArray, type Shape, Tensor, formatShape, kernels, tensor } from '@tapegrad/tensor';
import { type Variable, add, div, maximum, mul, reshape, sqrt, sub } from '@tapegrad/autograd';
import { type LayerConfig, type LayerOptions, Layer, type SymbolicShape } from '../layer.js';

/** Options of {@link Normalization}: Keras's arguments, camelCased, with Keras's defaults. */
export interface NormalizationOptions extends LayerOptions {
  /**
   * The axis or axes KEPT: each index along them gets its own mean and variance; the others are reduced.
   * Default -1 (one pair per feature); null: one scalar pair over everything. Never the batch axis.
   */
  axis?: number | readonly number[] | null;
  /** A fixed mean (a number, or values aligned right-to-left with the kept axes); default null: from adapt(). */
  mean?: number | NestedArray | Tensor | null;
  /** A fixed variance, the same shape as `mean`; default null. */
  variance?: number | NestedArray | Tensor | null;
  /** Undo the normalization instead: y = mean + x·std; default false. */
  invert?: boolean;
}

/** What {@link Normalization.adapt} accepts: one array (a tensor or nested arrays), or a list of batches. */
export type AdaptData = Tensor | NestedArray | readonly Tensor[];

/** Keras's `backend.epsilon()`, the smallest standard deviation divided by. */
const EPSILON = 1e-7;

/**
 * Shifts and scales features to mean 0 and variance 1 with statistics computed beforehand
 * (Keras `layers.Normalization`): y = (x - mean)/max(√variance, 1e-7), or with `invert`
 * y = mean + x·max(√variance, 1e-7). There is no epsilon inside the square root.
 *
 * The statistics are given (`mean`, `variance`) or learned by {@link adapt} from data: the mean and the
 * biased variance over every axis but the kept ones. Adapted layers hold them in weights, all
 * non-trainable: `mean` and `variance` shaped like the kept axes ([C] by default) and `count` [] (kept at
 * 0, as in Keras 3, where it exists for older saved models); so a summary counts 2C + 1 parameters.
 * Before adapt the mean is 0 and the variance 1. A layer given `mean` and `variance` has no weights.
 *
 * @example
 * ```ts
 * const norm = new Normalization();                // one mean and variance per column
 * norm.adapt(tensor([[0, 7, 4], [2, 9, 6], [0, 7, 4], [2, 9, 6]]));
 * norm.apply(tensor([[0, 7, 4]])).toArray();       // [[-1, -1, -1]]
 * new Normalization({ mean: 3, variance: 2 });     // fixed statistics, no weights
 * ```
 */
export class Normalization extends Layer {
  static readonly className = 'Normalization';
  /** The kept axes as given (null: none). */
  readonly axis: number | readonly number[] | null;
  /** Whether the layer undoes the normalization. */
  readonly invert: boolean;
  /** The adapted mean, shaped like the kept axes (after build; null when mean was given). */
  adaptMean: Variable | null = null;
  /** The adapted (biased) variance (after build; null when variance was given). */
  adaptVariance: Variable | null = null;
  /** Kept for Keras's weight list; Keras 3 never updates it (after build; null when mean was given). */
  count: Variable | null = null;
  private readonly inputMean: Tensor | null;
  private readonly inputVariance: Tensor | null;
  private readonly options: NormalizationOptions;
  private keepAxes: number[] = [];
  private reduceAxes: number[] = [];
  private broadcastShape: number[] = [];
  /** Given statistics, broadcast against the input (after build, when given). */
  private fixed: { mean: Tensor; variance: Tensor } | null = null;

  /** @throws Error naming the option when axis is malformed, or mean and variance are not given together with one shape. */
  constructor(options: NormalizationOptions = {}) {
    super(options);
    const axis = options.axis === undefined ? -1 : options.axis;
    const list = axis === null ? [] : typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : null;
    if (list === null || !list.every((a) => Number.isInteger(a))) {
      throw new Error(`Normalization: axis must be an integer, an array of integers or null, got ${JSON.stringify(axis)}`);
    }
    this.axis = axis === null || typeof axis === 'number' ? axis : [...list];
    this.invert = options.invert ?? false;
    const m = options.mean ?? null;
    const v = options.variance ?? null;
    if ((m === null) !== (v === null)) {
      throw new Error(`Normalization: when setting values directly, both mean and variance must be given; got mean=${JSON.stringify(m)} and variance=${JSON.stringify(v)}`);
    }
    this.inputMean = m === null ? null : toStatistic(m, 'mean');
    this.inputVariance = v === null ? null : toStatistic(v, 'variance');
    if (this.inputMean !== null && this.inputVariance !== null) {
      const ms = this.inputMean.shape;
      if (formatShape(ms) !== formatShape(this.inputVariance.shape)) {
        throw new Error(`Normalization: mean and variance must have the same shape; got mean ${formatShape(ms)} and variance ${formatShape(this.inputVariance.shape)}`);
      }
      if (ms.length > list.length) {
        throw new Error(`Normalization: the rank of mean (shape ${formatShape(ms)}) must be at most the number of kept axes (${list.length}, axis ${JSON.stringify(axis)})`);
      }
    }
    this.options = options;
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    const given = this.axis === null ? [] : typeof this.axis === 'number' ? [this.axis] : this.axis;
    const shapeText = `(${inputShape.map((d) => d ?? 'None').join(', ')})`;
    if (given.some((a) => a < -rank || a >= rank)) {
      throw new Error(`${this.name} (Normalization): axis values must be in [-${rank}, ${rank}) for inputs of rank ${rank}; got axis ${JSON.stringify(this.axis)}`);
    }
    const keep = [...new Set(given.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    const unknown = keep.find((a) => inputShape[a] === null);
    if (unknown !== undefined) {
      throw new Error(
        `${this.name} (Normalization): the kept axes must have known sizes; axis ${unknown} of input shape ${shapeText} is unknown ` +
          '(the batch axis cannot be kept)',
      );
    }
    this.keepAxes = keep;
    this.reduceAxes = inputShape.map((_, i) => i).filter((i) => !keep.includes(i));
    this.broadcastShape = inputShape.map((d, i) => (keep.includes(i) ? (d as number) : 1));
    const shape = keep.map((a) => inputShape[a] as number);
    if (this.inputMean === null || this.inputVariance === null) {
      this.adaptMean = this.addWeight('mean', shape, { initializer: 'zeros', trainable: false });
      this.adaptVariance = this.addWeight('variance', shape, { initializer: 'ones', trainable: false });
      this.count = this.addWeight('count', [], { initializer: 'zeros', trainable: false });
    } else {
      this.fixed = { mean: this.alignFixed(this.inputMean), variance: this.alignFixed(this.inputVariance) };
    }
  }

  /** A given statistic placed on the kept axes, its dimensions matched right to left (Keras), then broadcast. */
  private alignFixed(t: Tensor): Tensor {
    const expanded = this.broadcastShape.map(() => 1);
    for (let i = 1; i <= t.rank; i++) expanded[this.keepAxes[this.keepAxes.length - i]] = t.shape[t.rank - i];
    const fits = expanded.every((d, i) => d === 1 || d === this.broadcastShape[i]);
    if (!fits) {
      throw new Error(
        `${this.name} (Normalization): the given mean and variance of shape ${formatShape(t.shape)} do not fit the kept axes ` +
          `[${this.keepAxes.join(', ')}] of sizes ${formatShape(this.keepAxes.map((a) => this.broadcastShape[a]))}`,
      );
    }
    return kernels.broadcastTo(kernels.reshape(kernels.cast(t, this.dtype), expanded), this.broadcastShape);
  }

  /**
   * Computes the mean and biased variance of `data` over every axis but the kept ones and stores them in the
   * layer's weights, building the layer from the data's shape first if needed. A list of tensors is taken as
   * batches and merged exactly (Keras's weighted update, in float64); one array is reduced at once.
   * @throws Error when the layer was given mean and variance, or the data does not fit the built shape.
   * @example `norm.adapt(xTrain)` then `norm.apply(xTest)`
   */
  adapt(data: AdaptData): void {
    if (this.inputMean !== null) {
      throw new Error(`${this.name} (Normalization): adapt() cannot be used on a layer given mean and variance; it has no weights to adapt`);
    }
    const batches = toBatches(data);
    const first = batches[0].shape;
    if (!this.built) this.buildFor([null, ...first.slice(1)]);
    const built = this.builtInputShape as SymbolicShape;
    for (const b of batches) {
      if (b.rank !== built.length || this.keepAxes.some((a) => b.shape[a] !== built[a])) {
        throw new Error(
          `${this.name} (Normalization): the layer was built for inputs of shape (${built.map((d) => d ?? 'None').join(', ')}) ` +
            `but adapt() got data of shape ${formatShape(b.shape)}; the kept axes [${this.keepAxes.join(', ')}] must match`,
        );
      }
    }
    const { mean, variance } = this.moments(batches);
    (this.adaptMean as Variable).assign(mean);
    (this.adaptVariance as Variable).assign(variance);
  }

  /** Mean and biased variance over the reduced axes, in float64; several batches merged with Keras's update. */
  private moments(batches: readonly Tensor[]): { mean: Tensor; variance: Tensor } {
    if (batches.length === 1) return kernels.moments(kernels.cast(batches[0], 'float64'), this.reduceAxes);
    let total = 0;
    let mean: Float64Array | null = null;
    let variance: Float64Array | null = null;
    let shape: Shape = [];
    for (const b of batches) {
      const m = kernels.moments(kernels.cast(b, 'float64'), this.reduceAxes);
      const bm = m.mean.toTypedArray();
      const bv = m.variance.toTypedArray();
      shape = m.mean.shape;
      const count = this.reduceAxes.reduce((n, a) => n * b.shape[a], 1);
      total += count;
      const w = count / total; // the batch's weight; the statistics so far keep 1 - w
      const tm: Float64Array = mean ?? new Float64Array(bm.length);
      const tv: Float64Array = variance ?? new Float64Array(bm.length);
      for (let i = 0; i < tm.length; i++) {
        const next = tm[i] * (1 - w) + bm[i] * w;
        // lack-of-fit sum of squares: each part's variance plus its mean's squared distance to the new mean
        tv[i] = (tv[i] + (tm[i] - next) ** 2) * (1 - w) + (bv[i] + (bm[i] - next) ** 2) * w;
        tm[i] = next;
      }
      mean = tm;
      variance = tv;
    }
    return { mean: new Tensor(mean as Float64Array, shape.slice()), variance: new Tensor(variance as Float64Array, shape.slice()) };
  }

  override call(x: Tensor): Tensor {
    const { mean, variance } = this.statistics();
    const std = maximum(sqrt(variance), EPSILON);
    return this.invert ? add(mean, mul(x, std)) : div(sub(x, mean), std);
  }

  /** The mean and variance shaped to broadcast against the input (read from the weights on every call). */
  private statistics(): { mean: Tensor; variance: Tensor } {
    if (this.fixed !== null) return this.fixed;
    return {
      mean: reshape(this.adaptMean as Variable, this.broadcastShape),
      variance: reshape(this.adaptVariance as Variable, this.broadcastShape),
    };
  }

  /** The rank and the kept axes must match the build shape; the reduced axes may vary. */
  protected override checkInput(shape: Shape): void {
    const built = this.builtInputShape;
    if (built === null) return;
    if (shape.length !== built.length || this.keepAxes.some((a) => shape[a] !== built[a])) {
      throw new Error(
        `${this.name} (Normalization): expected an input like (${built.map((d) => d ?? 'None').join(', ')}) ` +
          `(rank ${built.length}, kept axes [${this.keepAxes.join(', ')}]), got ${formatShape(shape)}`,
      );
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    const axis = this.axis === null || typeof this.axis === 'number' ? this.axis : [...this.axis];
    return {
      ...super.getConfig(),
      axis,
      invert: this.invert,
      mean: this.inputMean === null ? null : this.inputMean.toArray(),
      variance: this.inputVariance === null ? null : this.inputVariance.toArray(),
    };
  }

  /** Rebuilds the layer from {@link getConfig}'s output (adapted statistics travel as weights, not config). */
  static fromConfig(config: LayerConfig): Normalization {
    return new Normalization(config as NormalizationOptions);
  }
}

/** A given mean or variance as a float64 tensor. */
function toStatistic(value: unknown, name: string): Tensor {
  if (value instanceof Tensor) return kernels.cast(value, 'float64');
  if (typeof value === 'number' || Array.isArray(value)) return tensor(value as NestedArray, undefined, 'float64');
  throw new Error(`Normalization: ${name} must be a number, nested arrays of numbers or null, got ${typeof value}`);
}

/** adapt()'s data as a non-empty list of batches. */
function toBatches(data: AdaptData): Tensor[] {
  if (data instanceof Tensor) return [data];
  if (Array.isArray(data) && data.length > 0 && data.every((b) => b instanceof Tensor)) return [...(data as Tensor[])];
  if (Array.isArray(data) && data.some((b) => b instanceof Tensor)) {
    throw new Error('Normalization: adapt() got a list mixing tensors and other values; pass one array, or a list of tensors (batches)');
  }
  if (Array.isArray(data) && data.length === 0) throw new Error('Normalization: adapt() got no data (an empty array)');
  return [tensor(data as NestedArray, undefined, 'float64')];
}
