// BatchNormalization against float64 reference values from PyTorch (test/fixtures/batch_norm.py) and the Keras formulas.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Tensor, randomNormal, tensor } from '@tapegrad/tensor';
import { GradientTape, gradCheck } from '@tapegrad/autograd';
import { BatchNormalization } from './batch-normalization.js';
import { Dense } from './dense.js';

interface Step {
  x: number[]; dy: number[]; y: number[]; dx: number[]; dgamma: number[]; dbeta: number[];
  moving_mean: number[]; moving_variance: number[];
}
interface Case {
  name: string; shape: number[]; axis: number; epsilon: number; momentum: number;
  gamma: number[]; beta: number[]; train_steps: Step[]; inference: Omit<Step, 'moving_mean' | 'moving_variance'>;
}
const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/batch_norm.json', import.meta.url), 'utf8')) as { cases: Case[] };

const f64 = (values: number[], shape: number[]): Tensor => tensor(Float64Array.from(values), shape);

function expectClose(actual: Tensor, expected: number[], tol: number): void {
  const a = actual.toTypedArray();
  expect(a.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  expect(worst).toBeLessThan(tol);
}

/** The layer's output and its gradients for the upstream gradient dy. */
function run(layer: BatchNormalization, x: Tensor, dy: Tensor, training: boolean) {
  const tape = new GradientTape();
  tape.watch(x);
  const y = tape.run(() => layer.apply(x, { training }));
  const [dx, dgamma, dbeta] = tape.gradient(y, [x, layer.gamma as Tensor, layer.beta as Tensor], { outputGradient: dy, unconnected: 'zero' });
  return { y, dx, dgamma, dbeta };
}

describe('BatchNormalization matches PyTorch float64 references (Keras 3 semantics)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const axis = c.axis === c.shape.length - 1 ? -1 : c.axis;
      const layer = new BatchNormalization({ axis, dtype: 'float64' });
      layer.buildFor([null, ...c.shape.slice(1)]);
      const C = c.shape[c.axis];
      layer.setWeights([f64(c.gamma, [C]), f64(c.beta, [C]), tensor(new Float64Array(C)), tensor(new Float64Array(C).fill(1))]);
      for (const step of c.train_steps) {
        const { y, dx, dgamma, dbeta } = run(layer, f64(step.x, c.shape), f64(step.dy, c.shape), true);
        expectClose(y, step.y, 1e-12);
        expectClose(dx, step.dx, 1e-11);
        expectClose(dgamma, step.dgamma, 1e-11);
        expectClose(dbeta, step.dbeta, 1e-11);
        expectClose(layer.movingMean, step.moving_mean, 1e-13);
        expectClose(layer.movingVariance, step.moving_variance, 1e-13);
      }
      const inf = c.inference;
      const before = layer.movingMean.toTypedArray();
      const { y, dx, dgamma, dbeta } = run(layer, f64(inf.x, c.shape), f64(inf.dy, c.shape), false);
      expectClose(y, inf.y, 1e-12);
      expectClose(dx, inf.dx, 1e-11);
      expectClose(dgamma, inf.dgamma, 1e-11);
      expectClose(dbeta, inf.dbeta, 1e-11);
      expect(layer.movingMean.toTypedArray()).toEqual(before); // inference updates nothing
    });
  }
});

describe('BatchNormalization by hand', () => {
  it('normalizes a two-sample batch and moves the statistics by Keras formula', () => {
    const layer = new BatchNormalization({ dtype: 'float64' });
    const y = layer.apply(tensor([[1], [3]], undefined, 'float64'), { training: true });
    // mean 2, biased variance 1, y = ±1/√(1 + 0.001)
    const s = 1 / Math.sqrt(1.001);
    expectClose(y, [-s, s], 1e-15);
    expectClose(layer.movingMean, [0.99 * 0 + 0.01 * 2], 1e-15);
    expectClose(layer.movingVariance, [0.99 * 1 + 0.01 * 1], 1e-15);
    // inference: (x - 0.02)/√(0.99·1 + 0.01·1 + 0.001)
    const z = layer.apply(tensor([[1]], undefined, 'float64'));
    expect(z.item()).toBeCloseTo((1 - 0.02) / Math.sqrt(1 + 0.001), 14);
  });

  it('with a batch of one, outputs beta exactly, passes no gradient to x, and decays the moving variance', () => {
    const layer = new BatchNormalization({ dtype: 'float64', betaInitializer: 'ones' });
    const x = tensor([[5, -2, 7]], undefined, 'float64');
    const { y, dx } = run(layer, x, tensor([[1, 2, 3]], undefined, 'float64'), true);
    expect(y.toArray()).toEqual([[1, 1, 1]]);
    expect(dx.toArray()).toEqual([[0, 0, 0]]);
    expect(Array.from(layer.movingVariance.toTypedArray())).toEqual([0.99, 0.99, 0.99]);
  });

  it('trainable = false runs in inference mode even when training is requested, and updates nothing', () => {
    const layer = new BatchNormalization({ dtype: 'float64' });
    layer.trainable = false;
    const x = randomNormal([8, 3], { dtype: 'float64', seed: 3 });
    const y = layer.apply(x, { training: true });
    // moving mean 0 and variance 1: y = x/√(1 + ε)
    const expected = Array.from(x.toTypedArray(), (v) => v / Math.sqrt(1.001));
    expectClose(y, expected, 1e-14);
    expect(Array.from(layer.movingMean.toTypedArray())).toEqual([0, 0, 0]);
    expect(layer.trainableWeights).toEqual([]);
    expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual([
      'batch_normalization_3/gamma', 'batch_normalization_3/beta', 'batch_normalization_3/moving_mean', 'batch_normalization_3/moving_variance',
    ].map((n) => n.replace('batch_normalization_3', layer.name)));
  });

  it('creates gamma, beta, moving_mean, moving_variance in that order, 4C parameters of which 2C trainable', () => {
    const layer = new BatchNormalization();
    layer.buildFor([null, 50]);
    expect(layer.weights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(layer.countParams()).toBe(200);
    expect(layer.trainableWeights.reduce((n, w) => n + w.size, 0)).toBe(100);
    expect(layer.weights.map((w) => w.trainable)).toEqual([true, true, false, false]);
  });

  it('center: false and scale: false leave beta and gamma out on every path', () => {
    const layer = new BatchNormalization({ center: false, scale: false, dtype: 'float64' });
    const x = randomNormal([6, 2], { dtype: 'float64', seed: 4 });
    const y = layer.apply(x, { training: true });
    expect(layer.weights.map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
    expect(layer.apply(x).shape).toEqual([6, 2]);
    const data = y.toTypedArray();
    for (let c = 0; c < 2; c++) {
      let mean = 0;
      for (let n = 0; n < 6; n++) mean += data[n * 2 + c] / 6;
      expect(Math.abs(mean)).toBeLessThan(1e-14);
    }
  });

  it('rejects an axis that is not a feature axis', () => {
    expect(() => new BatchNormalization({ axis: 3 }).buildFor([null, 4])).toThrow(/axis 3 does not name a known feature axis/);
    expect(() => new BatchNormalization({ axis: 0 }).buildFor([null, 4])).toThrow(/valid axes are 1..1/);
  });
});

describe('BatchNormalization gradients (gradCheck, float64, training mode)', () => {
  const check = (shape: number[], axis: number, options: { center?: boolean; scale?: boolean } = {}) => {
    const layer = new BatchNormalization({ axis, dtype: 'float64', ...options });
    const x0 = randomNormal(shape, { dtype: 'float64', seed: 11 });
    layer.buildFor([null, ...shape.slice(1)]);
    layer.trainableWeights.forEach((w, i) => w.assign(randomNormal(w.shape, { dtype: 'float64', seed: 20 + i })));
    const report = gradCheck((x) => layer.apply(x, { training: true }), [x0], { variables: layer.trainableWeights });
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  };
  it('2-D input', () => check([7, 4], -1));
  it('NHWC input', () => check([2, 3, 3, 4], -1));
  it('axis 1 of a 4-D input', () => check([3, 2, 2, 3], 1));
  it('without center and scale', () => check([5, 3], -1, { center: false, scale: false }));
});

describe('BatchNormalization after a Dense layer without bias (the texts\' "before the activation" placement)', () => {
  it('trains: gradients reach the kernel of a Dense with useBias false', () => {
    const dense = new Dense(3, { useBias: false, dtype: 'float64' });
    const bn = new BatchNormalization({ dtype: 'float64' });
    const x = randomNormal([6, 4], { dtype: 'float64', seed: 8 });
    dense.buildFor([null, 4]);
    const report = gradCheck((input) => bn.apply(dense.apply(input), { training: true }), [x], {
      variables: [...dense.trainableWeights, ...bn.trainableWeights],
    });
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });
});
