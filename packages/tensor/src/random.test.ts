// Tests of the seeded generator and the random tensor creators: reproducibility, ranges and sample statistics.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, Random, globalRandom, randomNormal, randomUniform, resolveRandom, setSeed, truncatedNormal } from './random.js';
import type { Tensor } from './tensor.js';

const values = (t: Tensor): number[] => Array.from(t.toTypedArray());
const draws = (rng: Random, n: number): number[] => Array.from({ length: n }, () => rng.uniform());

function meanStd(xs: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  const mean = s / xs.length;
  let q = 0;
  for (let i = 0; i < xs.length; i++) q += (xs[i] - mean) ** 2;
  return { mean, std: Math.sqrt(q / xs.length) };
}

afterEach(() => setSeed(DEFAULT_SEED)); // leave the global stream as other tests expect it

describe('Random', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    expect(draws(new Random(42), 20)).toEqual(draws(new Random(42), 20));
    const streams = [0, 1, 2, 42, -1, 2 ** 40, 1e15].map((s) => draws(new Random(s), 4).join(','));
    expect(new Set(streams).size).toBe(streams.length);
  });

  it('truncates fractional seeds and rejects non-finite ones', () => {
    expect(draws(new Random(7.9), 5)).toEqual(draws(new Random(7), 5));
    expect(() => new Random(NaN)).toThrow(/Random: the seed must be a finite number, got NaN/);
    expect(() => new Random(Infinity)).toThrow(/finite/);
  });

  it('draws uniforms in [0, 1) and 32-bit unsigned integers', () => {
    const rng = new Random(3);
    let bad = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = rng.uniform();
      const k = rng.nextUint32();
      if (!(u >= 0 && u < 1) || !(Number.isInteger(k) && k >= 0 && k < 2 ** 32)) bad++;
    }
    expect(bad).toBe(0);
  });

  it('int(n) is an integer in [0, n) and permutation(n) a permutation', () => {
    const rng = new Random(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.int(6));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const p = Array.from(rng.permutation(50));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(new Random(1).permutation(0))).toEqual([]);
  });

  it('forks reproducibly into an independent stream', () => {
    const a = new Random(9).fork();
    const b = new Random(9).fork();
    expect(draws(a, 5)).toEqual(draws(b, 5));
    const parent = new Random(9);
    const child = parent.fork();
    expect(draws(child, 5)).not.toEqual(draws(parent, 5));
  });
});

describe('the global generator and random sources', () => {
  it('setSeed restarts the global stream', () => {
    setSeed(7);
    const a = values(randomNormal([5]));
    const a2 = values(randomUniform([3]));
    setSeed(7);
    expect(values(randomNormal([5]))).toEqual(a);
    expect(values(randomUniform([3]))).toEqual(a2);
    expect(values(randomNormal([5]))).not.toEqual(a); // the stream moves on
    setSeed(8);
    expect(values(randomNormal([5]))).not.toEqual(a);
  });

  it('globalRandom is the generator setSeed installs', () => {
    setSeed(11);
    expect(draws(globalRandom(), 3)).toEqual(draws(new Random(11), 3));
  });

  it('a seed option uses a fresh generator and leaves the global stream alone', () => {
    setSeed(1);
    const first = values(randomUniform([4]));
    setSeed(1);
    const seeded = values(randomUniform([4], { seed: 99 }));
    expect(values(randomUniform([4], { seed: 99 }))).toEqual(seeded);
    expect(values(randomUniform([4]))).toEqual(first);
  });

  it('an rng option draws from (and advances) that generator', () => {
    const rng = new Random(21);
    const a = values(randomUniform([3], { rng, dtype: 'float64' }));
    const b = values(randomUniform([3], { rng, dtype: 'float64' }));
    expect([...a, ...b]).toEqual(draws(new Random(21), 6));
    expect(resolveRandom({ rng })).toBe(rng);
    expect(resolveRandom(undefined)).toBe(globalRandom());
  });
});

describe('random tensors', () => {
  it('have the requested shape and dtype', () => {
    const t = randomNormal([2, 3], { seed: 1, dtype: 'float64' });
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float64');
    expect(randomUniform([4], { seed: 1 }).dtype).toBe('float32');
    expect(truncatedNormal([0, 3], { seed: 1 }).size).toBe(0);
    expect(() => randomNormal([-1])).toThrow(/randomNormal: dimension 0 of shape \[-1\]/);
    expect(() => randomUniform([2], { dtype: 'int32' as 'float32' })).toThrow(/randomUniform: unsupported dtype/);
  });

  it('randomUniform stays in [minval, maxval) and averages to the midpoint', () => {
    const xs = randomUniform([100_000], { minval: -2, maxval: 5, seed: 4 }).toTypedArray();
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of xs) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(-2);
    expect(hi).toBeLessThan(5);
    expect(lo).toBeLessThan(-1.99);
    expect(hi).toBeGreaterThan(4.99);
    const { mean, std } = meanStd(xs);
    expect(Math.abs(mean - 1.5)).toBeLessThan(0.03); // standard error 7/√12/√1e5 ≈ 0.0064
    expect(Math.abs(std - 7 / Math.sqrt(12))).toBeLessThan(0.02);
    expect(values(randomUniform([3], { minval: 2, maxval: 2, seed: 1 }))).toEqual([2, 2, 2]);
    expect(() => randomUniform([2], { minval: 1, maxval: 0 })).toThrow(/randomUniform: maxval 0 is below minval 1/);
  });

  it('randomUniform never returns maxval, even when rounding would land on it', () => {
    // A generator whose first draw is the largest double below 1: 0 + 1·u rounds to 1 in float32,
    // and 1 + 1·u rounds to 2 in float64. Both must be redrawn (the next draws come from the real stream).
    class TopFirst extends Random {
      private first = true;
      override uniform(): number {
        if (!this.first) return super.uniform();
        this.first = false;
        return 1 - 2 ** -53;
      }
    }
    const f32 = randomUniform([1], { rng: new TopFirst(3) }).data[0];
    expect(f32).toBeLessThan(1);
    expect(f32).toBe(Math.fround(new Random(3).uniform()));
    const f64 = randomUniform([1], { rng: new TopFirst(3), minval: 1, maxval: 2, dtype: 'float64' }).data[0];
    expect(f64).toBeLessThan(2);
    expect(f64).toBe(1 + new Random(3).uniform());
  });

  it('randomNormal has the requested mean and standard deviation (100k samples)', () => {
    const std1 = meanStd(randomNormal([100_000], { seed: 5, dtype: 'float64' }).toTypedArray());
    expect(Math.abs(std1.mean)).toBeLessThan(0.015); // standard error 0.0032
    expect(Math.abs(std1.std - 1)).toBeLessThan(0.015);
    const shifted = meanStd(randomNormal([100_000], { mean: 3, stddev: 0.5, seed: 6 }).toTypedArray());
    expect(Math.abs(shifted.mean - 3)).toBeLessThan(0.008);
    expect(Math.abs(shifted.std - 0.5)).toBeLessThan(0.008);
    expect(() => randomNormal([2], { stddev: -1 })).toThrow(/randomNormal: stddev must be non-negative, got -1/);
  });

  it('truncatedNormal stays within two standard deviations, with the truncated spread', () => {
    const mean = 1;
    const stddev = 0.5;
    const xs = truncatedNormal([100_000], { mean, stddev, seed: 7, dtype: 'float64' }).toTypedArray();
    let widest = 0;
    for (const v of xs) widest = Math.max(widest, Math.abs(v - mean));
    expect(widest).toBeLessThanOrEqual(2 * stddev);
    expect(widest).toBeGreaterThan(1.99 * stddev);
    const s = meanStd(xs);
    expect(Math.abs(s.mean - mean)).toBeLessThan(0.01);
    // A standard normal cut at ±2 has standard deviation √(1 - 4φ(2)/(2Φ(2) - 1)) ≈ 0.8796.
    expect(Math.abs(s.std - 0.8796 * stddev)).toBeLessThan(0.006);
    expect(() => truncatedNormal([2], { stddev: NaN })).toThrow(/truncatedNormal: stddev must be non-negative/);
  });
});
