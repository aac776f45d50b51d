// Tests of getMetric: 'accuracy' resolved by shape for the three cases, names kept as given, the loss metrics
// against hand-worked values, functions, instances and unknown names.
import { describe, expect, it } from 'vitest';
import { f64, oneHotRows, refBce, refCce, sigmoidOutput } from '../losses/test-utils.js';
import { BinaryAccuracy } from './accuracy.js';
import { getMetric } from './get-metric.js';
import { MeanMetricWrapper } from './metric.js';

const resolvedAs = (m: unknown): string | null => (m as { resolvedAs: string | null }).resolvedAs;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("getMetric('accuracy')", () => {
  it('one output per sample → binary accuracy (p = 0.5 is class 0)', () => {
    const m = getMetric('accuracy');
    expect(resolvedAs(m)).toBeNull();
    m.updateState(f64([1, 0, 1, 0]), f64([[0.9], [0.5], [0.5], [0.2]]), null);
    expect(resolvedAs(m)).toBe('binary_accuracy');
    expect([m.name, m.result()]).toEqual(['accuracy', 0.75]);
  });

  it('integer labels ([N] or [N, 1]) against several outputs → sparse categorical accuracy', () => {
    for (const labels of [f64([2, 0]), f64([[2], [0]])]) {
      const m = getMetric('acc');
      m.updateState(labels, f64([[0.1, 0.2, 0.7], [0.3, 0.6, 0.1]]), null);
      expect(resolvedAs(m)).toBe('sparse_categorical_accuracy');
      expect([m.name, m.result()]).toEqual(['acc', 0.5]);
    }
  });

  it('one-hot labels → categorical accuracy; the choice survives resetState', () => {
    const m = getMetric('Accuracy');
    m.updateState(f64([[0, 0, 1], [1, 0, 0]]), f64([[0.1, 0.2, 0.7], [0.3, 0.6, 0.1]]), null);
    expect(resolvedAs(m)).toBe('categorical_accuracy');
    expect([m.name, m.result()]).toEqual(['Accuracy', 0.5]);
    m.resetState();
    expect(m.result()).toBe(0);
    m.updateState(f64([[0, 1, 0]]), f64([[0.1, 0.8, 0.1]]), f64([2]));
    expect([resolvedAs(m), m.result()]).toEqual(['categorical_accuracy', 1]);
  });
});

describe('getMetric', () => {
  it('names a metric exactly as given (Keras 3: metrics=["mse"] logs "mse")', () => {
    for (const name of ['mse', 'mean_squared_error', 'meanSquaredError', 'mae', 'binary_accuracy', 'bce', 'hinge']) {
      expect(getMetric(name).name).toBe(name);
    }
    expect(getMetric('binary_accuracy')).toBeInstanceOf(BinaryAccuracy);
  });

  it('the regression and cross-entropy metrics average the per-sample losses over all samples seen', () => {
    const mse = getMetric('mse');
    mse.updateState(f64([[1], [2]]), f64([[1], [4]]), null);
    mse.updateState(f64([[0]]), f64([[3]]), null);
    expect(mse.result()).toBe((0 + 4 + 9) / 3);
    const bce = getMetric('binary_crossentropy');
    bce.updateState(f64([[1], [0], [1]]), f64([[0.8], [0.3], [0.6]]), null);
    expect(bce.result()).toBeCloseTo(mean(refBce([[1], [0], [1]], [[0.8], [0.3], [0.6]])), 12);
    const cce = getMetric('categorical_crossentropy');
    const p = [[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]];
    cce.updateState(f64(oneHotRows([1, 0], 3)), f64(p), null);
    expect(cce.result()).toBeCloseTo(mean(refCce(oneHotRows([1, 0], 3), p)), 12);
    const scce = getMetric('sparseCategoricalCrossentropy');
    scce.updateState(f64([1, 0]), f64(p), f64([1, 3]));
    const per = refCce(oneHotRows([1, 0], 3), p);
    expect(scce.result()).toBeCloseTo((per[0] + 3 * per[1]) / 4, 12);
    // a sigmoid output is scored on its logits, as the loss
    const z = [[0.4], [-2]];
    const onLogits = getMetric('bce');
    onLogits.updateState(f64([[1], [0]]), sigmoidOutput(f64(z)), null);
    expect(onLogits.result()).toBeCloseTo(mean(refBce([[1], [0]], z, { logits: true })), 12);
  });

  it('returns a Metric as it is; wraps a function under its name', () => {
    const acc = new BinaryAccuracy({ threshold: 0.3 });
    expect(getMetric(acc)).toBe(acc);
    const within = (t: ReturnType<typeof f64>, p: ReturnType<typeof f64>) => f64(Array.from(t.toTypedArray(), (v, i) => (Math.abs(v - p.toTypedArray()[i]) < 1 ? 1 : 0)));
    const m = getMetric(within);
    expect(m).toBeInstanceOf(MeanMetricWrapper);
    expect(m.name).toBe('within');
    m.updateState(f64([1, 2, 3]), f64([1.5, 4, 3]), null);
    expect(m.result()).toBeCloseTo(2 / 3, 14);
  });

  it('lists the valid names for an unknown one', () => {
    expect(() => getMetric('precision')).toThrow(/Unknown metric 'precision'. Valid metrics: 'acc', 'accuracy', 'bce', 'binary_accuracy', .* \(snake_case or camelCase\)/);
  });
});
