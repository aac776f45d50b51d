// Tests of ReLU: the layer contract, hand-worked values at the threshold and the cap, gradients, errors.
import { describe, expect, it } from 'vitest';
import { Random, type Tensor, tensor } from '@tapegrad/tensor';
import { GradientTape, gradCheck, sum } from '@tapegrad/autograd';
import type { LayerConfig } from '../layer.js';
import { ReLU, type ReLUOptions } from './relu.js';

const f64 = (values: number[][] | number[]): Tensor => tensor(values, undefined, 'float64');

/** Values spread over [-3, 3] but kept 0.05 away from the kinks, so central differences never straddle one. */
function offKinks(shape: number[], kinks: number[], seed: number): Tensor {
  const rng = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 6 * rng.uniform() - 3;
    while (kinks.some((k) => Math.abs(v - k) < 0.05)) v = 6 * rng.uniform() - 3;
    data[i] = v;
  }
  return tensor(data, shape);
}

/** Keras's run_layer_test, reduced: the config survives JSON and rebuilds a layer that computes the same. */
function expectRoundTrip(layer: ReLU, x: Tensor): void {
  const config = layer.getConfig();
  const clone = ReLU.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
  expect(clone.getConfig()).toEqual(config);
  expect(clone.apply(x).toArray()).toEqual(layer.apply(x).toArray());
}

describe('ReLU', () => {
  const grid: ReLUOptions[] = [
    {},
    { maxValue: 6 },
    { negativeSlope: 0.3 },
    { threshold: 1 },
    { maxValue: 2, negativeSlope: 0.5, threshold: 1 },
    { maxValue: 0 },
  ];

  it.each(grid)('contract %j: no weights, shape, config round trip, gradCheck', (options) => {
    const layer = new ReLU({ ...options, dtype: 'float64' });
    const kinks = [options.threshold ?? 0, ...(options.maxValue != null ? [options.maxValue] : [])];
    const x = offKinks([4, 5], kinks, 1);
    const y = layer.apply(x);
    expect(layer.weights).toEqual([]);
    expect(layer.countParams()).toBe(0);
    expect(y.shape).toEqual(layer.computeOutputShape([null, 5]).map((d, i) => d ?? x.shape[i]));
    expect(layer.getConfig()).toMatchObject({
      maxValue: options.maxValue ?? null,
      negativeSlope: options.negativeSlope ?? 0,
      threshold: options.threshold ?? 0,
    });
    expectRoundTrip(layer, x);
    const report = gradCheck((t) => layer.apply(t), [x]);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });

  it('defaults to max(x, 0), with 0 at x == 0', () => {
    const y = new ReLU().apply(tensor([-2, -0.5, 0, 0.5, 3]));
    expect(y.toArray()).toEqual([0, 0, 0, 0.5, 3]);
  });

  it("matches Keras's docstring example (maxValue 10, negativeSlope 0.5)", () => {
    const y = new ReLU({ maxValue: 10, negativeSlope: 0.5 }).apply(tensor([-10, -5, 0, 5, 10, 12]));
    expect(y.toArray()).toEqual([-5, -2.5, 0, 5, 10, 10]);
  });

  it('threshold is strict: x == threshold gives exactly 0, just above passes through', () => {
    const y = new ReLU({ threshold: 1 }).apply(f64([0.5, 1, 1.5, 3]));
    expect(y.toArray()).toEqual([0, 0, 1.5, 3]);
    expect(Object.is(y.get(1), 0)).toBe(true); // +0, not -0
  });

  it('negativeSlope applies to x - threshold below it, and x == threshold still gives +0', () => {
    const y = new ReLU({ negativeSlope: 0.5, threshold: 1 }).apply(f64([-1, 0.5, 1, 2]));
    // 0.5·(-1 - 1) = -1, 0.5·(0.5 - 1) = -0.25, 0, 2
    expect(y.toArray()).toEqual([-1, -0.25, 0, 2]);
    expect(Object.is(y.get(2), 0)).toBe(true);
  });

  it('maxValue caps above the threshold (x == maxValue gives maxValue)', () => {
    const y = new ReLU({ maxValue: 2, threshold: 1 }).apply(f64([0, 1, 1.5, 2, 7]));
    expect(y.toArray()).toEqual([0, 0, 1.5, 2, 2]);
    expect(new ReLU({ maxValue: 0 }).apply(f64([-1, 0, 3])).toArray()).toEqual([0, 0, 0]);
  });

  it('gradient: negativeSlope below the threshold, 1 between, 0 above the cap', () => {
    const layer = new ReLU({ maxValue: 2, negativeSlope: 0.5, threshold: 1, dtype: 'float64' });
    const x = f64([0, 0.9, 1.5, 1.9, 3]);
    const tape = new GradientTape();
    tape.watch(x);
    const loss = tape.run(() => sum(layer.apply(x)));
    expect(tape.gradient(loss, x)?.toArray()).toEqual([0.5, 0.5, 1, 1, 0]);
  });

  it('accepts inputs of any shape on later calls (no input spec, as Keras)', () => {
    const layer = new ReLU();
    layer.apply(tensor([[1, -1]]));
    expect(layer.apply(tensor([[[-1], [2]]])).toArray()).toEqual([[[0], [2]]]);
  });

  it('is named re_lu by default, as Keras', () => {
    expect(new ReLU().name).toMatch(/^re_lu(_\d+)?$/);
  });

  it('rejects negative options, naming the option and the value', () => {
    expect(() => new ReLU({ maxValue: -1 })).toThrow(/ReLU: maxValue cannot be a negative value.*got -1/);
    expect(() => new ReLU({ negativeSlope: -0.1 })).toThrow(/ReLU: negativeSlope cannot be a negative value.*got -0.1/);
    expect(() => new ReLU({ threshold: -2 })).toThrow(/ReLU: threshold cannot be a negative value.*got -2/);
    expect(() => new ReLU({ threshold: Number.NaN })).toThrow(/ReLU: threshold .*got NaN/);
  });
});
