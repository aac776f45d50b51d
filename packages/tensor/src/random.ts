// Seeded pseudo-random numbers: one generator (xoshiro128**) behind every random tensor, shuffle and dropout mask.
import { type DType, DEFAULT_DTYPE, allocate, checkDType } from './dtype.js';
import { type Shape, checkShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/** The seed of the global generator at start-up, so that every run is reproducible unless reseeded. */
export const DEFAULT_SEED = 1337;

/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32).
 * The same seed gives the same stream on every machine and run.
 *
 * @example
 * ```ts
 * const rng = new Random(42);
 * rng.uniform(); // a number in [0, 1)
 * rng.normal();  // a standard normal sample
 * ```
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /** A generator whose stream is fixed by `seed` (any finite number; fractions are truncated). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Random: the seed must be a finite number, got ${seed}`);
    let x = Math.trunc(seed) >>> 0;
    const hi = Math.floor(Math.trunc(Math.abs(seed)) / 4294967296) >>> 0;
    const next = (): number => {
      // splitmix32: spreads a small seed over the 128-bit state.
      x = (x + 0x9e3779b9) | 0;
      let z = x ^ hi;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform number in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal sample (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A random permutation of 0 .. n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A new generator seeded from this one's stream: independent, and reproducible from the parent's seed. */
  fork(): Random {
    return new Random(this.nextUint32() * 4294967296 + this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let globalRng = new Random(DEFAULT_SEED);

/**
 * Reseeds the global generator, which every random function uses when given neither `seed` nor `rng`.
 * One call makes initialization, shuffling and dropout identical from run to run.
 *
 * @example
 * ```ts
 * setSeed(7);
 * const a = randomNormal([2]);
 * setSeed(7);
 * const b = randomNormal([2]); // same values as a
 * ```
 */
export function setSeed(seed: number): void {
  globalRng = new Random(seed);
}

/** The global generator (reseeded by {@link setSeed}). */
export function globalRandom(): Random {
  return globalRng;
}

/** Where random values come from: a seed (a fresh generator) or a generator; neither means the global one. */
export interface RandomSource {
  /** Seed of a fresh generator for this call alone. */
  seed?: number;
  /** A generator to draw from (advanced by the call). */
  rng?: Random;
}

/** Options of the random tensor creators. */
export interface RandomOptions extends RandomSource {
  /** Element type of the result; default float32. */
  dtype?: DType;
}

/** The generator an options object selects. */
export function resolveRandom(source: RandomSource | undefined): Random {
  if (source?.rng) return source.rng;
  if (source?.seed !== undefined) return new Random(source.seed);
  return globalRng;
}

function fill(op: string, shape: Shape, options: RandomOptions | undefined, draw: (rng: Random) => number): Tensor {
  const dims = checkShape(shape, op);
  const dtype = checkDType(options?.dtype ?? DEFAULT_DTYPE, op);
  const rng = resolveRandom(options);
  const out = allocate(dtype, sizeOf(dims));
  for (let i = 0; i < out.length; i++) out[i] = draw(rng);
  return new Tensor(out, dims);
}

/**
 * Uniform random values in [minval, maxval).
 * @example
 * ```ts
 * randomUniform([2, 3], { minval: -1, maxval: 1, seed: 0 });
 * ```
 */
export function randomUniform(shape: Shape, options?: RandomOptions & { minval?: number; maxval?: number }): Tensor {
  const lo = options?.minval ?? 0;
  const hi = options?.maxval ?? 1;
  if (!(hi >= lo)) throw new Error(`randomUniform: maxval ${hi} is below minval ${lo}`);
  // lo + (hi - lo)·u can round up to hi itself (in the sum, or when stored as float32); redraw those
  // to keep the interval half-open. The retry cap only matters for a range narrower than one float32 step.
  const stored = options?.dtype === 'float64' ? (v: number): number => v : Math.fround;
  return fill('randomUniform', shape, options, (rng) => {
    for (let tries = 1; ; tries++) {
      const v = lo + (hi - lo) * rng.uniform();
      if (stored(v) < hi || !(hi > lo) || tries === 32) return v;
    }
  });
}

/**
 * Normal random values with the given mean and standard deviation (default 0 and 1).
 * @example
 * ```ts
 * randomNormal([100], { stddev: 0.05, seed: 1 });
 * ```
 */
export function randomNormal(shape: Shape, options?: RandomOptions & { mean?: number; stddev?: number }): Tensor {
  const mean = options?.mean ?? 0;
  const stddev = options?.stddev ?? 1;
  if (!(stddev >= 0)) throw new Error(`randomNormal: stddev must be non-negative, got ${stddev}`);
  return fill('randomNormal', shape, options, (rng) => mean + stddev * rng.normal());
}

/**
 * Normal random values redrawn until they lie within two standard deviations of the mean
 * (TensorFlow's `truncated_normal`: the result's spread is about 0.88 times `stddev`).
 * @example
 * ```ts
 * truncatedNormal([3, 3], { stddev: 0.05, seed: 2 });
 * ```
 */
export function truncatedNormal(shape: Shape, options?: RandomOptions & { mean?: number; stddev?: number }): Tensor {
  const mean = options?.mean ?? 0;
  const stddev = options?.stddev ?? 1;
  if (!(stddev >= 0)) throw new Error(`truncatedNormal: stddev must be non-negative, got ${stddev}`);
  return fill('truncatedNormal', shape, options, (rng) => {
    let z = rng.normal();
    while (Math.abs(z) > 2) z = rng.normal();
    return mean + stddev * z;
  });
}
