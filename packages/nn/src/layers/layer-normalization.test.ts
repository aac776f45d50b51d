// Tests of LayerNormalization: the layer contract over an option grid, values from the formula (reference loops),
// first and second derivatives, input checks and errors.
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '@tapegrad/tensor';
import { GradientTape, grad, gradCheck, mul, noGrad, square, sub, sum } from '@tapegrad/autograd';
import type { LayerConfig } from '../layer.js';
import { LayerNormalization, type LayerNormalizationOptions } from './layer-normalization.js';
import { randomF64, withWeights } from '../test-utils.js';

/** The formula by plain loops: for [N, ...rest] normalized over all of `rest` (per sample), then scaled elementwise. */
function reference(x: number[][], eps: number, gamma?: number[], beta?: number[]): number[][] {
  return x.map((row) => {
    const m = row.reduce((a, b) => a + b, 0) / row.length;
    const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / row.length;
    return row.map((e, i) => ((e - m) / Math.sqrt(v + eps)) * (gamma?.[i] ?? 1) + (beta?.[i] ?? 0));
  });
}

function expectClose(actual: number[][], expected: number[][], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - expected[i][j]), `[${i}, ${j}]: ${v} vs ${expected[i][j]}`).toBeLessThan(tol)));
}

describe('LayerNormalization', () => {
  const grid: [number[], LayerNormalizationOptions][] = [
    [[3, 4], {}],
    [[2, 3, 4], { axis: [1, 2], epsilon: 1e-2 }],
    [[2, 3, 4], { axis: 1, center: false }],
    [[2, 2, 3, 2], { axis: [-1, -3], scale: false }],
    [[2, 5], { center: false, scale: false }],
  ];

  it.each(grid)('contract input %j %j: weights, shape, config round trip, training step, gradCheck', (shape, options) => {
    const layer = new LayerNormalization({ ...options, dtype: 'float64', gammaInitializer: 'random_normal', betaInitializer: 'random_normal' });
    const x = randomF64(shape, 1, 2, 0.5);
    const y = layer.apply(x);
    // 1. Weights: gamma then beta, trainable, shaped like the normalized axes (sorted).
    const rank = shape.length;
    const axes = [options.axis ?? -1].flat().map((a) => (a < 0 ? a + rank : a)).sort();
    const wShape = axes.map((a) => shape[a]);
    const expected: [string, number[], boolean][] = [];
    if (options.scale ?? true) expected.push([`${layer.name}/gamma`, wShape, true]);
    if (options.center ?? true) expected.push([`${layer.name}/beta`, wShape, true]);
    expect(layer.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual(expected);
    // 2. Output shape.
    expect(layer.computeOutputShape([null, ...shape.slice(1)])).toEqual([null, ...shape.slice(1)]);
    expect(y.shape).toEqual(shape);
    // 3. Config round trip, then the same output with the same weights.
    const config = layer.getConfig();
    const clone = LayerNormalization.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
    expect(clone.getConfig()).toEqual(config);
    clone.buildFor([null, ...shape.slice(1)]);
    clone.setWeights(layer.getWeights());
    expect(clone.apply(x).toArray()).toEqual(y.toArray());
    // 4. A training step lowers a squared error (when there is something to train).
    if (layer.trainableWeights.length > 0) {
      const target = randomF64(shape, 2);
      const loss = (): Tensor => sum(square(sub(layer.apply(x), target)));
      const tape = new GradientTape();
      const before = tape.run(loss);
      const grads = tape.gradient(before, layer.trainableWeights);
      noGrad(() => layer.trainableWeights.forEach((w, i) => w.assign(sub(w, mul(grads[i] as Tensor, 1e-2)))));
      expect(loss().item()).toBeLessThan(before.item());
    }
    // 5. gradCheck with respect to the input and every trainable weight.
    const names = layer.trainableWeights.map((w) => w.name.split('/').pop() as string);
    const f = (xi: Tensor, ...ws: Tensor[]): Tensor => withWeights(layer, Object.fromEntries(names.map((n, i) => [n, ws[i]])), () => layer.apply(xi));
    const report = gradCheck(f, [x, ...layer.trainableWeights]);
    expect(report.checked).toBe(x.size + layer.trainableWeights.reduce((n, w) => n + w.size, 0));
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });

  it('normalizes each sample over the last axis with the biased variance and epsilon inside the root', () => {
    const x = [[1, 2, 3], [10, 20, 30], [-1, 0.5, 4]];
    const y = new LayerNormalization({ dtype: 'float64' }).apply(tensor(x, undefined, 'float64'));
    expectClose(y.toArray() as number[][], reference(x, 1e-3));
    // row 1 by hand: mean 2, variance 2/3
    expect((y.toArray() as number[][])[0][0]).toBeCloseTo(-1 / Math.sqrt(2 / 3 + 1e-3), 12);
  });

  it('scales by gamma and shifts by beta, per feature', () => {
    const layer = new LayerNormalization({ epsilon: 0.01, dtype: 'float64' });
    layer.buildFor([null, 3]);
    layer.setWeights([tensor([1, 2, 3], undefined, 'float64'), tensor([0.5, 0, -0.5], undefined, 'float64')]);
    const x = [[1, 2, 3], [4, 0, -4]];
    expectClose(layer.apply(tensor(x, undefined, 'float64')).toArray() as number[][], reference(x, 0.01, [1, 2, 3], [0.5, 0, -0.5]));
  });

  it('over several axes it normalizes the whole sample, with gamma shaped like those axes', () => {
    const layer = new LayerNormalization({ axis: [1, 2], dtype: 'float64' });
    layer.buildFor([null, 2, 3]);
    const gamma = [[1, 2, 3], [4, 5, 6]];
    const beta = [[0, 0.1, 0.2], [0.3, 0.4, 0.5]];
    layer.setWeights([tensor(gamma, undefined, 'float64'), tensor(beta, undefined, 'float64')]);
    const x = randomF64([3, 2, 3], 4);
    const flat = (x.toArray() as number[][][]).map((s) => s.flat());
    const y = (layer.apply(x).toArray() as number[][][]).map((s) => s.flat());
    expectClose(y, reference(flat, 1e-3, gamma.flat(), beta.flat()));
  });

  it('is twice differentiable (the gradient of the gradient matches central differences)', () => {
    const layer = new LayerNormalization({ axis: [1, 2], dtype: 'float64', gammaInitializer: 'random_normal', betaInitializer: 'random_normal' });
    const x = randomF64([2, 2, 3], 5);
    layer.buildFor([null, 2, 3]);
    const w = randomF64([2, 2, 3], 6);
    const dx = (t: Tensor): Tensor => grad((z: Tensor) => sum(mul(square(layer.apply(z)), w)))(t);
    const report = gradCheck(dx, [x]);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-5);
  });

  it('accepts other sizes on the axes it does not normalize, but not on the normalized ones', () => {
    const layer = new LayerNormalization();
    layer.apply(tensor(new Float32Array(2 * 5 * 4), [2, 5, 4]));
    expect(layer.apply(tensor(new Float32Array(2 * 7 * 4), [2, 7, 4])).shape).toEqual([2, 7, 4]);
    expect(() => layer.apply(tensor(new Float32Array(2 * 5 * 3), [2, 5, 3]))).toThrow(
      /\(LayerNormalization\): expected an input of rank 3 with sizes 4 on axis 2 .* got \[2, 5, 3\]/,
    );
  });

  it('rejects bad options and axes, naming the layer and the value', () => {
    expect(() => new LayerNormalization({ axis: 'last' as unknown as number })).toThrow(/^LayerNormalization: axis must be an integer or a non-empty array of integers, got "last"/);
    expect(() => new LayerNormalization({ axis: [] })).toThrow(/LayerNormalization: axis must be/);
    expect(() => new LayerNormalization({ epsilon: 0 })).toThrow(/^LayerNormalization: epsilon must be a positive number, got 0/);
    expect(() => new LayerNormalization({ axis: 0 }).buildFor([null, 3])).toThrow(/\(LayerNormalization\): axis 0 is not a known non-batch axis of input shape \(None, 3\); valid axes are 1..1 or -1..-1/);
    expect(() => new LayerNormalization({ axis: 3 }).buildFor([null, 3, 2])).toThrow(/axis 3 is not a known non-batch axis/);
    expect(() => new LayerNormalization({ axis: [1, -1] }).buildFor([null, 3])).toThrow(/axis \[1,-1\] repeats an axis/);
    expect(() => new LayerNormalization().buildFor([null, null])).toThrow(/axis -1 is not a known non-batch axis of input shape \(None, None\)/);
  });
});
