// Tests of the initializers against Keras 3 (KERAS_SEMANTICS.md section 4): fans, each distribution's sample
// statistics on a large shape, seeds, names and configs, and the seed model's limits.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, setSeed } from '@tapegrad/tensor';
import {
  Constant, type Initializer, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, computeFans, getInitializer,
  glorotUniform, heUniform,
} from './initializers.js';
import { erf, sampleStats } from './test-utils.js';

afterEach(() => setSeed(DEFAULT_SEED)); // leave the global stream as other tests expect it

// The large shape of the statistics: fan_in 400, fan_out 500, 200 000 samples. The sample std's relative standard
// error is under 0.2 %, so the 1.5 % tolerances below sit more than 7 standard errors out.
const SHAPE = [400, 500];
const FAN_IN = 400;
const FAN_OUT = 500;
const FAN_AVG = 450;

/** The std of a unit normal truncated to [-2, 2]: √(1 - 4φ(2)/(Φ(2) - Φ(-2))), computed here from erf. */
const TRUNC_STD = Math.sqrt(1 - (4 * Math.exp(-2)) / Math.sqrt(2 * Math.PI) / erf(Math.SQRT2));

const sample = (init: Initializer, shape = SHAPE): Float64Array => init.init(shape, 'float64').toTypedArray() as Float64Array;

/** A U(-limit, limit) sample: inside the limits, reaching close to them, std limit/√3, mean ≈ 0. */
function expectUniform(values: ArrayLike<number>, limit: number): void {
  const s = sampleStats(values);
  expect(s.maxAbs).toBeLessThanOrEqual(limit);
  expect(s.min).toBeLessThan(-0.999 * limit);
  expect(s.max).toBeGreaterThan(0.999 * limit);
  expect(s.std / (limit / Math.sqrt(3))).toBeCloseTo(1, 2);
  expect(Math.abs(s.mean)).toBeLessThan(0.02 * s.std);
}

/** A normal sample truncated at ±2·drawStd: std ≈ expectedStd, never beyond the bound, reaching close to it. */
function expectTruncated(values: ArrayLike<number>, drawStd: number, expectedStd: number): void {
  const s = sampleStats(values);
  expect(s.maxAbs).toBeLessThanOrEqual(2 * drawStd);
  expect(s.maxAbs).toBeGreaterThan(0.99 * 2 * drawStd);
  expect(Math.abs(s.std / expectedStd - 1)).toBeLessThan(0.015);
  expect(Math.abs(s.mean)).toBeLessThan(0.02 * s.std);
}

/** An untruncated normal sample: std ≈ `std`, with tails past 3.5 std (200 000 draws give ~90 of them). */
function expectNormal(values: ArrayLike<number>, std: number, mean = 0): void {
  const s = sampleStats(values);
  expect(Math.abs(s.std / std - 1)).toBeLessThan(0.015);
  expect(Math.abs(s.mean - mean)).toBeLessThan(0.02 * std);
  expect(Math.max(s.max - mean, mean - s.min)).toBeGreaterThan(3.5 * std);
}

describe('computeFans (Keras compute_fans)', () => {
  it.each([
    [[], 1, 1],
    [[7], 7, 7],
    [[3, 5], 3, 5],
    [[4, 3, 5], 12, 20], // conv1d [k, in, out]: receptive field k
    [[3, 2, 16, 32], 3 * 2 * 16, 3 * 2 * 32], // conv2d [kh, kw, in, out]
    [[1, 1, 8, 4], 8, 4],
  ])('shape %j: fan_in %i, fan_out %i', (shape, fanIn, fanOut) => {
    expect(computeFans(shape as number[])).toEqual({ fanIn, fanOut });
  });
});

describe('the truncation constant', () => {
  it('0.87962566103423978 is the std of a unit normal truncated at ±2', () => {
    expect(TRUNC_STD).toBeCloseTo(0.87962566103423978, 14);
  });
});

describe('named initializers: sample statistics on [400, 500]', () => {
  it.each([
    ['glorot_uniform', Math.sqrt(6 / (FAN_IN + FAN_OUT))],
    ['he_uniform', Math.sqrt(6 / FAN_IN)],
    ['lecun_uniform', Math.sqrt(3 / FAN_IN)],
    ['random_uniform', 0.05],
    ['uniform', 0.05],
  ])('%s: U(±%f)', (name, limit) => {
    setSeed(1);
    expectUniform(sample(getInitializer(name)), limit);
  });

  it.each([
    ['glorot_normal', Math.sqrt(2 / (FAN_IN + FAN_OUT))],
    ['he_normal', Math.sqrt(2 / FAN_IN)],
    ['lecun_normal', Math.sqrt(1 / FAN_IN)],
  ])('%s: truncated normal rescaled by 0.8796, so the std is %f', (name, std) => {
    setSeed(2);
    expectTruncated(sample(getInitializer(name)), std / 0.87962566103423978, std);
  });

  it.each(['random_normal', 'normal'])('%s: N(0, 0.05), untruncated', (name) => {
    setSeed(3);
    expectNormal(sample(getInitializer(name)), 0.05);
  });

  it('truncated_normal: stddev 0.05 NOT rescaled, so the std is 0.05·0.8796 and |w| ≤ 0.1', () => {
    setSeed(4);
    expectTruncated(sample(getInitializer('truncated_normal')), 0.05, 0.05 * TRUNC_STD);
  });

  it('variance_scaling by name: scale 1, fan_in, truncated normal (Keras defaults)', () => {
    setSeed(5);
    const std = Math.sqrt(1 / FAN_IN);
    expectTruncated(sample(getInitializer('variance_scaling')), std / 0.87962566103423978, std);
  });
});

describe('VarianceScaling options', () => {
  it.each([
    [{ scale: 3, mode: 'fan_out', distribution: 'uniform' }, Math.sqrt((3 * 3) / FAN_OUT)],
    [{ scale: 0.5, mode: 'fan_avg', distribution: 'uniform' }, Math.sqrt((3 * 0.5) / FAN_AVG)],
    [{ mode: 'fan_in', distribution: 'uniform' }, Math.sqrt(3 / FAN_IN)],
  ] as const)('%j: U(±√(3·scale/n)) = ±%f', (options, limit) => {
    expectUniform(sample(new VarianceScaling({ ...options, seed: 9 })), limit);
  });

  it('untruncated_normal: N(0, √s)', () => {
    expectNormal(sample(new VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'untruncated_normal', seed: 9 })), Math.sqrt(2 / FAN_AVG));
  });

  it('truncated_normal fan_out: std √s after the correction', () => {
    const std = Math.sqrt(4 / FAN_OUT);
    expectTruncated(sample(new VarianceScaling({ scale: 4, mode: 'fan_out', seed: 9 })), std / 0.87962566103423978, std);
  });

  it('conv kernels use the receptive field: he_uniform on [3, 3, 16, 8] has L = √(6/144)', () => {
    const values = sample(heUniform(1), [3, 3, 16, 8]);
    const s = sampleStats(values);
    expect(s.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 144));
    expect(s.maxAbs).toBeGreaterThan(0.98 * Math.sqrt(6 / 144)); // 1152 samples
  });

  it('tiny shapes: a scalar (fans 1) has L = √3; a [1, 1] he_uniform kernel has L = √6', () => {
    const v = sample(new VarianceScaling({ scale: 1, distribution: 'uniform', seed: 1 }), []);
    expect(v.length).toBe(1);
    expect(Math.abs(v[0])).toBeLessThanOrEqual(Math.sqrt(3));
    for (let seed = 0; seed < 20; seed++) expect(Math.abs(sample(heUniform(seed), [1, 1])[0])).toBeLessThanOrEqual(Math.sqrt(6));
  });

  it('explicit RandomUniform, RandomNormal and TruncatedNormal options', () => {
    const u = sampleStats(sample(new RandomUniform({ minval: 1, maxval: 3, seed: 1 })));
    expect(u.min).toBeGreaterThanOrEqual(1);
    expect(u.max).toBeLessThan(3);
    expect(u.mean).toBeCloseTo(2, 2);
    expectNormal(sample(new RandomNormal({ mean: 5, stddev: 2, seed: 1 })), 2, 5);
    const t = sampleStats(sample(new TruncatedNormal({ mean: -1, stddev: 0.5, seed: 1 })));
    expect(t.min).toBeGreaterThanOrEqual(-2);
    expect(t.max).toBeLessThanOrEqual(0);
    expect(Math.abs(t.std / (0.5 * TRUNC_STD) - 1)).toBeLessThan(0.015);
  });
});

describe('the seed model (section 4)', () => {
  it('kernel1 he_uniform [2, 50]: L = √3 (fan_in 2)', () => {
    setSeed(7);
    const values: number[] = [];
    for (let k = 0; k < 100; k++) values.push(...sample(getInitializer('he_uniform'), [2, 50]));
    const s = sampleStats(values);
    expect(s.maxAbs).toBeLessThanOrEqual(1.7320508075688772);
    expect(s.maxAbs).toBeGreaterThan(0.999 * 1.7320508075688772);
    expect(Math.sqrt(6 / 2)).toBeCloseTo(1.7320508, 7);
  });

  it('kernel2 glorot_uniform [50, 1]: L = √(6/51)', () => {
    const L = Math.sqrt(6 / 51);
    expect(L).toBeCloseTo(0.3429972, 7);
    const values: number[] = [];
    for (let seed = 0; seed < 200; seed++) values.push(...sample(glorotUniform(seed), [50, 1]));
    const s = sampleStats(values);
    expect(s.maxAbs).toBeLessThanOrEqual(L);
    expect(s.maxAbs).toBeGreaterThan(0.999 * L);
  });
});

describe('seeds', () => {
  it('the same seed gives the same values; different seeds differ', () => {
    for (const className of ['GlorotUniform', 'HeNormal', 'RandomUniform', 'RandomNormal', 'TruncatedNormal', 'VarianceScaling']) {
      const a = getInitializer({ className, config: { seed: 42 } }).init([6, 7], 'float32').toArray();
      const b = getInitializer({ className, config: { seed: 42 } }).init([6, 7], 'float32').toArray();
      const c = getInitializer({ className, config: { seed: 43 } }).init([6, 7], 'float32').toArray();
      expect(b, className).toEqual(a);
      expect(c, className).not.toEqual(a);
    }
  });

  it('a seeded initializer gives the same values on every call', () => {
    const init = glorotUniform(3);
    expect(init.init([4, 4], 'float64').toArray()).toEqual(init.init([4, 4], 'float64').toArray());
  });

  it('unseeded initializers draw from the global stream: setSeed resets it, consecutive draws differ', () => {
    setSeed(11);
    const a = getInitializer('he_normal').init([5, 5], 'float32').toArray();
    const a2 = getInitializer('he_normal').init([5, 5], 'float32').toArray();
    setSeed(11);
    const b = getInitializer('heNormal').init([5, 5], 'float32').toArray();
    const b2 = getInitializer('he_normal').init([5, 5], 'float32').toArray();
    expect(b).toEqual(a);
    expect(b2).toEqual(a2);
    expect(a2).not.toEqual(a);
    setSeed(12);
    expect(getInitializer('he_normal').init([5, 5], 'float32').toArray()).not.toEqual(a);
  });

  it('float32 and float64 samples hold the same draws (up to rounding)', () => {
    const a = glorotUniform(5).init([3, 4], 'float32');
    const b = glorotUniform(5).init([3, 4], 'float64');
    expect(a.dtype).toBe('float32');
    expect(b.dtype).toBe('float64');
    expect(Array.from(a.toTypedArray())).toEqual(Array.from(Float32Array.from(b.toTypedArray())));
  });
});

describe('names and configs', () => {
  it.each([
    ['glorot_uniform', 'GlorotUniform'], ['glorotUniform', 'GlorotUniform'], ['GlorotNormal', 'GlorotNormal'],
    ['he_uniform', 'HeUniform'], ['heNormal', 'HeNormal'], ['lecun_uniform', 'LecunUniform'], ['leCunNormal', 'LecunNormal'],
    ['random_uniform', 'RandomUniform'], ['randomNormal', 'RandomNormal'], ['truncatedNormal', 'TruncatedNormal'],
    ['variance_scaling', 'VarianceScaling'], ['zeros', 'Constant'], ['ones', 'Constant'],
  ])('%s resolves to %s', (name, className) => {
    expect(getInitializer(name).getConfig().className).toBe(className);
  });

  it('an unknown name fails, listing the valid names', () => {
    expect(() => getInitializer('glorot')).toThrow(/Unknown initializer 'glorot'.*'glorot_uniform'.*'he_uniform'/);
  });

  it.each([
    glorotUniform(1), heUniform(2), getInitializer({ className: 'GlorotNormal', config: { seed: 3 } }),
    getInitializer({ className: 'LecunUniform', config: { seed: 4 } }), getInitializer({ className: 'HeNormal', config: { seed: 5 } }),
    getInitializer({ className: 'LecunNormal', config: { seed: 6 } }),
    new RandomUniform({ minval: -2, maxval: 3, seed: 7 }), new RandomNormal({ mean: 1, stddev: 3, seed: 8 }),
    new TruncatedNormal({ mean: 2, stddev: 0.1, seed: 9 }),
    new VarianceScaling({ scale: 2.5, mode: 'fan_avg', distribution: 'untruncated_normal', seed: 10 }),
    new Constant(2.5),
  ])('config round trip through JSON: %j', (init) => {
    const config = JSON.parse(JSON.stringify(init.getConfig()));
    const copy = getInitializer(config);
    expect(copy.getConfig()).toEqual(init.getConfig());
    expect(copy.init([3, 5], 'float64').toArray()).toEqual(init.init([3, 5], 'float64').toArray());
  });

  it('Keras config keys: VarianceScaling {scale, mode, distribution, seed}; the named classes {seed}', () => {
    expect(new VarianceScaling().getConfig()).toEqual({
      className: 'VarianceScaling', config: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: null },
    });
    expect(heUniform().getConfig()).toEqual({ className: 'HeUniform', config: { seed: null } });
    expect(new RandomUniform().getConfig()).toEqual({ className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } });
    expect(new TruncatedNormal().getConfig()).toEqual({ className: 'TruncatedNormal', config: { mean: 0, stddev: 0.05, seed: null } });
  });

  it('an Initializer object is returned as is', () => {
    const init = new Constant(3);
    expect(getInitializer(init)).toBe(init);
  });
});

describe('constant initializers', () => {
  it.each([
    ['zeros', 0], ['zero', 0], ['ones', 1], ['one', 1], ['constant', 0],
  ])('%s fills with %d', (name, value) => {
    const t = getInitializer(name).init([2, 3], 'float32');
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.toTypedArray())).toEqual(new Array(6).fill(value));
  });

  it('Constant(value) fills with value, in either dtype, and round-trips by config', () => {
    const t = new Constant(-1.25).init([4], 'float64');
    expect(t.dtype).toBe('float64');
    expect(t.toArray()).toEqual([-1.25, -1.25, -1.25, -1.25]);
    expect(getInitializer({ className: 'Constant', config: { value: 7 } }).init([2], 'float32').toArray()).toEqual([7, 7]);
    expect(getInitializer({ className: 'Zeros', config: {} }).init([2], 'float32').toArray()).toEqual([0, 0]);
    expect(getInitializer({ className: 'Ones', config: {} }).init([2], 'float32').toArray()).toEqual([1, 1]);
  });
});
