// Dropout: zeroes random inputs while training and rescales the rest (keras/src/layers/regularization/dropout.py).
import { Random, type Shape, Tensor, allocate, formatShape, globalRandom, sizeOf, zeros } from '@tapegrad/tensor';
import { mul, where } from '@tapegrad/autograd';
import { type CallOptions, type LayerConfig, type LayerOptions, Layer, type SymbolicShape } from '../layer.js';

/** Options of {@link Dropout}: Keras's arguments, camelCased. */
export interface DropoutOptions extends LayerOptions {
  /**
   * Shape of the one mask broadcast over the input, as many entries as the input has axes; `null` entries
   * take the input's dimension (`[null, 1, null]` drops the same features at every time step). Default
   * null: a mask of the input's shape.
   */
  noiseShape?: readonly (number | null)[] | null;
  /** Seed of the layer's own generator, for reproducible masks; default null: the global stream (setSeed). */
  seed?: number | null;
}

/**
 * Randomly sets inputs to 0 with probability `rate` while training and scales the kept ones by
 * 1/(1 - rate), so that sums keep their expected value (Keras `layers.Dropout`):
 * y = x·m/(1 - rate) with m ~ Bernoulli(1 - rate) when `training`, y = x otherwise. Rate 1 gives zeros.
 *
 * With a `seed` the layer owns a generator, so the same seed gives the same sequence of masks; without
 * one it draws from the global stream, which `setSeed` (from `@tapegrad/tensor`) resets.
 * Porting note: like Keras the layer has no input spec: it accepts any shape on every call.
 *
 * @example
 * ```ts
 * const dropout = new Dropout(0.5, { seed: 1 });
 * dropout.apply(ones([2, 4]), { training: true }).toArray(); // each entry 0 or 2
 * dropout.apply(ones([2, 4])).toArray();                     // unchanged: inference
 * ```
 */
export class Dropout extends Layer {
  static readonly className = 'Dropout';
  /** The fraction of inputs dropped, in [0, 1]. */
  readonly rate: number;
  /** The mask's shape (null entries: the input's dimension), or null for the input's shape. */
  readonly noiseShape: readonly (number | null)[] | null;
  /** The seed of the layer's generator, or null for the global stream. */
  readonly seed: number | null;
  private readonly rng: Random | null;

  /** @throws Error naming the value when rate is outside [0, 1], or noiseShape or seed is malformed. */
  constructor(rate: number, options: DropoutOptions = {}) {
    super(options);
    if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) {
      throw new Error(`Dropout: invalid rate ${rate}; expected a number between 0 and 1 (the fraction of inputs to drop)`);
    }
    const noiseShape = options.noiseShape ?? null;
    if (noiseShape !== null) {
      const ok = Array.isArray(noiseShape) && noiseShape.every((d) => d === null || (Number.isInteger(d) && d > 0));
      if (!ok) {
        throw new Error(`Dropout: invalid noiseShape ${JSON.stringify(noiseShape)}; expected an array of positive integers or nulls`);
      }
    }
    const seed = options.seed ?? null;
    if (seed !== null && !Number.isSafeInteger(seed)) throw new Error(`Dropout: seed must be an integer or null, got ${seed}`);
    this.rate = rate;
    this.noiseShape = noiseShape === null ? null : [...noiseShape];
    this.seed = seed;
    this.rng = seed === null ? null : new Random(seed);
  }

  override call(x: Tensor, { training }: Required<CallOptions>): Tensor {
    if (!training || this.rate === 0) return x;
    const shape = this.maskShape(x.shape);
    // where() rather than a multiplication by a 0/scale mask: dropped entries are exactly +0, and rate 1
    // never multiplies by 1/0 (whose product, even unselected, would put NaN into the gradient).
    if (this.rate === 1) return where(zeros(shape, x.dtype), x, 0);
    const keep = 1 - this.rate;
    const rng = this.rng ?? globalRandom(); // looked up per call: setSeed replaces the global generator
    const mask = allocate(x.dtype, sizeOf(shape));
    for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < keep ? 1 : 0;
    return where(new Tensor(mask, shape), mul(x, 1 / keep), 0);
  }

  /** The shape of the mask for an input of `shape`: noiseShape with nulls filled in, checked to broadcast. */
  private maskShape(shape: Shape): number[] {
    if (this.noiseShape === null) return shape.slice();
    const resolved = this.noiseShape.map((d, i) => d ?? shape[i]);
    if (this.noiseShape.length !== shape.length || resolved.some((d, i) => d !== 1 && d !== shape[i])) {
      throw new Error(
        `${this.name} (Dropout): noiseShape ${JSON.stringify(this.noiseShape)} does not broadcast to the input shape ` +
          `${formatShape(shape)}; it needs one entry per axis, each null, 1 or the input's dimension`,
      );
    }
    return resolved;
  }

  /** Any shape is accepted on every call (Keras's Dropout has no input spec). */
  protected override checkInput(shape: Shape): void {
    void shape;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape === null ? null : [...this.noiseShape], seed: this.seed };
  }

  /** Rebuilds the layer from {@link getConfig}'s output (a seeded layer starts its mask sequence afresh). */
  static fromConfig(config: LayerConfig): Dropout {
    const { rate, ...rest } = config as unknown as DropoutOptions & { rate: number };
    return new Dropout(rate, rest);
  }
}
