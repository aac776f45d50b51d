// Tests of Dropout: the layer contract, mask statistics and scale, seeds, rate 0 and 1, noiseShape, errors.
import { describe, expect, it } from 'vitest';
import { Random, type Tensor, ones, setSeed, tensor } from '@tapegrad/tensor';
import { GradientTape, gradCheck, sum } from '@tapegrad/autograd';
import type { LayerConfig } from '../layer.js';
import { Dropout, type DropoutOptions } from './dropout.js';

const values = (t: Tensor): number[] => Array.from(t.toTypedArray());

function randomF64(shape: number[], seed: number): Tensor {
  const rng = new Random(seed);
  return tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
}

describe('Dropout', () => {
  const grid: [number, DropoutOptions][] = [
    [0.5, { seed: 3 }],
    [0.2, { noiseShape: [null, 1, null], seed: 4 }],
    [0, {}],
    [1, { seed: 5 }],
  ];

  it.each(grid)('contract rate %d %j: no weights, shape, config round trip, gradCheck in training', (rate, options) => {
    const layer = new Dropout(rate, { ...options, dtype: 'float64' });
    const x = randomF64([2, 3, 4], 1);
    const y = layer.apply(x, { training: true });
    expect(layer.weights).toEqual([]);
    expect(y.shape).toEqual(x.shape);
    expect(layer.computeOutputShape([null, 3, 4])).toEqual([null, 3, 4]);
    const config = layer.getConfig();
    expect(config).toMatchObject({ rate, noiseShape: options.noiseShape ?? null, seed: options.seed ?? null });
    const clone = Dropout.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
    expect(clone.getConfig()).toEqual(config);
    // a fresh layer from the same config draws the same first mask (when seeded)
    if (options.seed !== undefined) expect(values(clone.apply(x, { training: true }))).toEqual(values(y));
    // the mask is fixed by making a fresh seeded layer on every evaluation
    const seeded = (t: Tensor): Tensor => new Dropout(rate, { ...options, seed: 11, dtype: 'float64' }).apply(t, { training: true });
    const report = gradCheck(seeded, [x]);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });

  it('is the identity in inference (the input itself), whatever the rate', () => {
    const x = tensor([[1, 2, 3]]);
    expect(new Dropout(0.5).apply(x)).toBe(x);
    expect(new Dropout(1).apply(x, { training: false })).toBe(x);
  });

  it('training: drops about `rate` of the entries and scales the rest by 1/(1 - rate)', () => {
    const rate = 0.3;
    const n = 20000;
    const y = values(new Dropout(rate, { seed: 42 }).apply(ones([n]), { training: true }));
    const kept = y.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true); // float32 of 1/0.7
    // binomial: the dropped fraction has standard deviation sqrt(0.3·0.7/20000) ≈ 0.0032; allow 5 of them
    expect(Math.abs((n - kept.length) / n - rate)).toBeLessThan(0.017);
    // the sum keeps its expected value
    expect(Math.abs(y.reduce((a, b) => a + b, 0) / n - 1)).toBeLessThan(0.025);
  });

  it('the gradient is the mask scaled by 1/(1 - rate)', () => {
    const layer = new Dropout(0.25, { seed: 9, dtype: 'float64' });
    const x = tensor(new Float64Array(64).fill(1), [8, 8]);
    const tape = new GradientTape();
    tape.watch(x);
    let y: Tensor | null = null;
    const loss = tape.run(() => {
      y = layer.apply(x, { training: true });
      return sum(y);
    });
    // x is all ones, so y is the scaled mask itself
    expect(values(tape.gradient(loss, x) as Tensor)).toEqual(values(y as unknown as Tensor));
  });

  it('the same seed gives the same masks; successive calls give new ones', () => {
    const x = ones([4, 50]);
    const a = new Dropout(0.5, { seed: 7 });
    const b = new Dropout(0.5, { seed: 7 });
    const a1 = values(a.apply(x, { training: true }));
    expect(values(b.apply(x, { training: true }))).toEqual(a1);
    const a2 = values(a.apply(x, { training: true }));
    expect(a2).not.toEqual(a1);
    expect(values(b.apply(x, { training: true }))).toEqual(a2);
    expect(values(new Dropout(0.5, { seed: 8 }).apply(x, { training: true }))).not.toEqual(a1);
  });

  it('without a seed it draws from the global stream, which setSeed resets', () => {
    const x = ones([4, 50]);
    const layer = new Dropout(0.5);
    setSeed(123);
    const first = values(layer.apply(x, { training: true }));
    const second = values(layer.apply(x, { training: true }));
    expect(second).not.toEqual(first);
    setSeed(123);
    expect(values(layer.apply(x, { training: true }))).toEqual(first);
    expect(values(new Dropout(0.5).apply(x, { training: true }))).toEqual(second);
  });

  it('rate 0 is the identity in training; rate 1 gives +0 everywhere and a zero gradient', () => {
    const x = tensor([[-1, 2], [3, -4]], undefined, 'float64');
    expect(new Dropout(0, { dtype: 'float64' }).apply(x, { training: true })).toBe(x);
    const layer = new Dropout(1, { dtype: 'float64' });
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.run(() => layer.apply(x, { training: true }));
    expect(values(y).every((v) => Object.is(v, 0))).toBe(true);
    expect(values(tape.gradient(sum(y), x, { unconnected: 'zero' }))).toEqual([0, 0, 0, 0]);
  });

  it('noiseShape broadcasts one mask: null takes the input dimension, 1 shares the mask', () => {
    const y = new Dropout(0.5, { noiseShape: [null, 1, null], seed: 1 }).apply(ones([3, 4, 5]), { training: true });
    const rows = y.toArray() as number[][][];
    for (const sample of rows) for (const step of sample) expect(step).toEqual(sample[0]); // same mask at every time step
    const all = rows.flat(2);
    expect(new Set(all)).toEqual(new Set([0, 2]));
    // one scalar mask for everything
    const z = values(new Dropout(0.5, { noiseShape: [1, 1, 1], seed: 2 }).apply(ones([3, 4, 5]), { training: true }));
    expect(new Set(z).size).toBe(1);
  });

  it('training is inherited from an enclosing call, and is false by default', () => {
    const x = ones([1, 100]);
    const layer = new Dropout(0.5, { seed: 1 });
    expect(layer.apply(x)).toBe(x);
  });

  it('rejects a rate outside [0, 1] and malformed noiseShape or seed, naming the value', () => {
    expect(() => new Dropout(1.5)).toThrow(/^Dropout: invalid rate 1.5; expected a number between 0 and 1/);
    expect(() => new Dropout(-0.1)).toThrow(/Dropout: invalid rate -0.1/);
    expect(() => new Dropout(Number.NaN)).toThrow(/Dropout: invalid rate NaN/);
    expect(() => new Dropout(0.5, { noiseShape: [0, 2] })).toThrow(/Dropout: invalid noiseShape \[0,2\]; expected an array of positive integers or nulls/);
    expect(() => new Dropout(0.5, { seed: 1.5 })).toThrow(/Dropout: seed must be an integer or null, got 1.5/);
    const layer = new Dropout(0.5, { noiseShape: [null, 3] });
    expect(() => layer.apply(ones([2, 4]), { training: true })).toThrow(
      /dropout(_\d+)? \(Dropout\): noiseShape \[null,3\] does not broadcast to the input shape \[2, 4\]/,
    );
    expect(() => layer.apply(ones([2, 4, 1]), { training: true })).toThrow(/needs one entry per axis/);
  });
});
