// Weight initializers with Keras's fan computations and defaults (keras/src/initializers).
import { type DType, Random, type Shape, Tensor, allocate, full, globalRandom, sizeOf } from '@tapegrad/tensor';
import { lookup, toSnakeCase } from './identifiers.js';

/** Makes the initial value of a weight. */
export interface Initializer {
  /** A new tensor of `shape` and `dtype`. */
  init(shape: Shape, dtype: DType): Tensor;
  /** The JSON config that rebuilds this initializer (`{ className, config }`). */
  getConfig(): InitializerConfig;
}

/** The serialized form of an initializer. */
export interface InitializerConfig {
  className: string;
  config: Record<string, number | string | null>;
}

/** An initializer, or its name (`'he_uniform'` or `'heUniform'`), or its config. */
export type InitializerIdentifier = Initializer | string | InitializerConfig;

/**
 * fan_in and fan_out as Keras computes them: `[in, out]` for a dense kernel; for a conv kernel
 * `[kh, kw, in, out]` each fan is multiplied by the receptive field kh·kw; a vector has both equal to its length.
 */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

/** A generator for one initialization: from the seed if given, else the global (setSeed) stream. */
function generator(seed: number | null): Random {
  return seed === null ? globalRandom() : new Random(seed);
}

function fill(shape: Shape, dtype: DType, draw: () => number): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return new Tensor(data, shape.slice());
}

/** A normal sample redrawn until within two standard deviations (TensorFlow's truncated normal). */
function truncated(rng: Random): number {
  let z = rng.normal();
  while (Math.abs(z) > 2) z = rng.normal();
  return z;
}

/** Every element equal to `value` (Keras `Constant`; `Zeros` and `Ones` are 0 and 1). */
export class Constant implements Initializer {
  constructor(readonly value = 0) {}
  init(shape: Shape, dtype: DType): Tensor {
    return full(shape, this.value, dtype);
  }
  getConfig(): InitializerConfig {
    return { className: 'Constant', config: { value: this.value } };
  }
}

/** Uniform values in [minval, maxval) (Keras `RandomUniform`, default ±0.05). */
export class RandomUniform implements Initializer {
  constructor(readonly options: { minval?: number; maxval?: number; seed?: number | null } = {}) {}
  init(shape: Shape, dtype: DType): Tensor {
    const lo = this.options.minval ?? -0.05;
    const hi = this.options.maxval ?? 0.05;
    const rng = generator(this.options.seed ?? null);
    return fill(shape, dtype, () => lo + (hi - lo) * rng.uniform());
  }
  getConfig(): InitializerConfig {
    const o = this.options;
    return { className: 'RandomUniform', config: { minval: o.minval ?? -0.05, maxval: o.maxval ?? 0.05, seed: o.seed ?? null } };
  }
}

/** Normal values (Keras `RandomNormal`, default mean 0, stddev 0.05). */
export class RandomNormal implements Initializer {
  constructor(readonly options: { mean?: number; stddev?: number; seed?: number | null } = {}) {}
  init(shape: Shape, dtype: DType): Tensor {
    const mean = this.options.mean ?? 0;
    const stddev = this.options.stddev ?? 0.05;
    const rng = generator(this.options.seed ?? null);
    return fill(shape, dtype, () => mean + stddev * rng.normal());
  }
  getConfig(): InitializerConfig {
    const o = this.options;
    return { className: 'RandomNormal', config: { mean: o.mean ?? 0, stddev: o.stddev ?? 0.05, seed: o.seed ?? null } };
  }
}

/** Normal values redrawn beyond two standard deviations, not rescaled (Keras `TruncatedNormal`, stddev 0.05). */
export class TruncatedNormal implements Initializer {
  constructor(readonly options: { mean?: number; stddev?: number; seed?: number | null } = {}) {}
  init(shape: Shape, dtype: DType): Tensor {
    const mean = this.options.mean ?? 0;
    const stddev = this.options.stddev ?? 0.05;
    const rng = generator(this.options.seed ?? null);
    return fill(shape, dtype, () => mean + stddev * truncated(rng));
  }
  getConfig(): InitializerConfig {
    const o = this.options;
    return { className: 'TruncatedNormal', config: { mean: o.mean ?? 0, stddev: o.stddev ?? 0.05, seed: o.seed ?? null } };
  }
}

/** Options of {@link VarianceScaling}. */
export interface VarianceScalingOptions {
  /** Multiplier of the variance; default 1. */
  scale?: number;
  /** Which fan divides the scale; default 'fan_in'. */
  mode?: 'fan_in' | 'fan_out' | 'fan_avg';
  /** The distribution; default 'truncated_normal'. */
  distribution?: 'truncated_normal' | 'untruncated_normal' | 'uniform';
  /** Seed of this initializer's own generator; default: the global stream. */
  seed?: number | null;
}

/**
 * Keras `VarianceScaling`: with n = fan_in, fan_out or their mean (at least 1) and s = scale/n,
 * 'uniform' draws U(-√(3s), √(3s)); 'truncated_normal' draws with stddev √s/0.87962566103423978 and
 * redraws beyond two stddev (so the result has stddev √s); 'untruncated_normal' N(0, √s).
 */
export class VarianceScaling implements Initializer {
  constructor(readonly options: VarianceScalingOptions = {}, private readonly className = 'VarianceScaling') {}
  init(shape: Shape, dtype: DType): Tensor {
    const { scale = 1, mode = 'fan_in', distribution = 'truncated_normal' } = this.options;
    const { fanIn, fanOut } = computeFans(shape);
    const n = Math.max(1, mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2);
    const s = scale / n;
    const rng = generator(this.options.seed ?? null);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * s);
      return fill(shape, dtype, () => limit * (2 * rng.uniform() - 1));
    }
    if (distribution === 'untruncated_normal') return fill(shape, dtype, () => Math.sqrt(s) * rng.normal());
    const stddev = Math.sqrt(s) / 0.87962566103423978;
    return fill(shape, dtype, () => stddev * truncated(rng));
  }
  getConfig(): InitializerConfig {
    const { scale = 1, mode = 'fan_in', distribution = 'truncated_normal', seed = null } = this.options;
    if (this.className !== 'VarianceScaling') return { className: this.className, config: { seed } };
    return { className: 'VarianceScaling', config: { scale, mode, distribution, seed } };
  }
}

/** Glorot (Xavier) uniform: U(±√(6/(fan_in+fan_out))). Keras's default kernel initializer. */
export const glorotUniform = (seed: number | null = null): Initializer =>
  new VarianceScaling({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed }, 'GlorotUniform');
/** Glorot normal: truncated normal with stddev √(2/(fan_in+fan_out)). */
export const glorotNormal = (seed: number | null = null): Initializer =>
  new VarianceScaling({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed }, 'GlorotNormal');
/** He uniform: U(±√(6/fan_in)). */
export const heUniform = (seed: number | null = null): Initializer =>
  new VarianceScaling({ scale: 2, mode: 'fan_in', distribution: 'uniform', seed }, 'HeUniform');
/** He normal: truncated normal with stddev √(2/fan_in). */
export const heNormal = (seed: number | null = null): Initializer =>
  new VarianceScaling({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed }, 'HeNormal');
/** LeCun uniform: U(±√(3/fan_in)). */
export const lecunUniform = (seed: number | null = null): Initializer =>
  new VarianceScaling({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed }, 'LecunUniform');
/** LeCun normal: truncated normal with stddev √(1/fan_in). */
export const lecunNormal = (seed: number | null = null): Initializer =>
  new VarianceScaling({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed }, 'LecunNormal');

const byName: Record<string, (seed: number | null) => Initializer> = {
  glorot_uniform: glorotUniform,
  glorot_normal: glorotNormal,
  he_uniform: heUniform,
  he_normal: heNormal,
  lecun_uniform: lecunUniform,
  lecun_normal: lecunNormal,
  random_uniform: (seed) => new RandomUniform({ seed }),
  uniform: (seed) => new RandomUniform({ seed }),
  random_normal: (seed) => new RandomNormal({ seed }),
  normal: (seed) => new RandomNormal({ seed }),
  truncated_normal: (seed) => new TruncatedNormal({ seed }),
  zeros: () => new Constant(0),
  zero: () => new Constant(0),
  ones: () => new Constant(1),
  one: () => new Constant(1),
  constant: () => new Constant(0),
  variance_scaling: (seed) => new VarianceScaling({ seed }),
};

/**
 * The initializer an identifier names: an Initializer is returned as is; a string is looked up in Keras's
 * names (snake_case or camelCase); a config object is rebuilt.
 * @throws Error listing the valid names for an unknown one.
 * @example `getInitializer('he_uniform')`, `getInitializer('heUniform')`
 */
export function getInitializer(id: InitializerIdentifier): Initializer {
  if (typeof id === 'string') return lookup('initializer', id, byName)(null);
  if ('init' in id) return id;
  const c = id.config;
  const seed = typeof c.seed === 'number' ? c.seed : null;
  const num = (k: string, d: number): number => (typeof c[k] === 'number' ? (c[k] as number) : d);
  switch (id.className) {
    case 'Constant':
      return new Constant(num('value', 0));
    case 'RandomUniform':
      return new RandomUniform({ minval: num('minval', -0.05), maxval: num('maxval', 0.05), seed });
    case 'RandomNormal':
      return new RandomNormal({ mean: num('mean', 0), stddev: num('stddev', 0.05), seed });
    case 'TruncatedNormal':
      return new TruncatedNormal({ mean: num('mean', 0), stddev: num('stddev', 0.05), seed });
    case 'VarianceScaling':
      return new VarianceScaling({
        scale: num('scale', 1),
        mode: (c.mode as VarianceScalingOptions['mode']) ?? 'fan_in',
        distribution: (c.distribution as VarianceScalingOptions['distribution']) ?? 'truncated_normal',
        seed,
      });
    default:
      return lookup('initializer', toSnakeCase(id.className), byName)(seed);
  }
}
