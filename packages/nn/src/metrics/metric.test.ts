// Tests of MeanMetricWrapper: the running mean over batches of different sizes, sample weights, reset, and the
// per-sample reduction of multi-value outputs; expected values worked by hand.
import { describe, expect, it } from 'vitest';
import { type Tensor, kernels, tensor } from '@tapegrad/tensor';
import { GradientTape, abs, sub } from '@tapegrad/autograd';
import { meanSquaredError } from '../losses/regression.js';
import { f64 } from '../losses/test-utils.js';
import { MeanMetricWrapper, batchTotals } from './metric.js';

const absError = (t: Tensor, p: Tensor): Tensor => abs(sub(t, p));

describe('MeanMetricWrapper', () => {
  it('is a running mean over samples: batches weigh by their size', () => {
    const m = new MeanMetricWrapper(absError);
    expect(m.name).toBe('absError');
    expect(m.result()).toBe(0); // nothing seen yet: 0, not NaN (divide_no_nan)
    m.updateState(f64([1, 2, 3]), f64([1, 2, 0]), null); // errors 0, 0, 3
    expect(m.result()).toBe(1);
    m.updateState(f64([5]), f64([0]), null); // error 5
    expect(m.result()).toBe(8 / 4); // not the mean of batch means (1 + 5) / 2
    m.updateState(f64([0, 0, 0, 0, 0, 0]), f64([1, 1, 1, 1, 1, 1]), null);
    expect(m.result()).toBe(14 / 10);
    m.resetState();
    expect(m.result()).toBe(0);
    m.updateState(f64([2]), f64([0]), null);
    expect(m.result()).toBe(2);
  });

  it('with sample weights: Σ value·w / Σ w, accumulated across batches', () => {
    const m = new MeanMetricWrapper(absError, { name: 'err' });
    m.updateState(f64([1, 2, 3]), f64([0, 0, 0]), f64([1, 0, 3])); // 1·1 + 3·3 = 10 over 4
    expect(m.result()).toBe(10 / 4);
    m.updateState(f64([[4], [1]]), f64([[0], [0]]), f64([[0.5], [1.5]])); // 2 + 1.5 over 2
    expect(m.result()).toBe(13.5 / 6);
    // weights [N] against per-sample values [N, 1] are aligned
    const n = new MeanMetricWrapper(absError);
    n.updateState(f64([[1], [3]]), f64([[0], [0]]), tensor([3, 1]));
    expect(n.result()).toBe(6 / 4);
  });

  it('averages several values of a sample first (binary accuracy over 3 outputs is a per-sample mean)', () => {
    const values = f64([[1, 0, 0], [1, 1, 1]]);
    expect(batchTotals(values, null, 'm')).toEqual({ total: 1 / 3 + 1, count: 2 });
    expect(batchTotals(values, f64([3, 1]), 'm')).toEqual({ total: 1 + 1, count: 4 });
    expect(() => batchTotals(values, f64([1, 2, 3]), 'm')).toThrow('m: sample weights [3] do not fit the values [2, 3]; pass one weight per sample');
  });

  it('computes off the tape, in float64', () => {
    const p = f64([[0.5], [1.5]]);
    const tape = new GradientTape();
    tape.watch(p);
    const m = new MeanMetricWrapper(meanSquaredError, { name: 'mse' });
    tape.run(() => m.updateState(f64([[0], [1]]), p, null));
    expect(m.result()).toBe(0.25);
    // float32 values sum into a float64 accumulator
    const big = new MeanMetricWrapper((t) => t);
    big.updateState(kernels.reshape(tensor(new Float32Array(100001).fill(0.1)), [100001]), tensor(new Float32Array(100001)), null);
    expect(big.result()).toBeCloseTo(Math.fround(0.1), 12);
  });
});
