// Tests of the Loss base class: Keras 3's reductions with and without sample weights, weight alignment, and
// squeezeOrExpandToSameRank; expected values worked by hand from per-sample losses.
import { describe, expect, it } from 'vitest';
import { kernels, tensor } from '@tapegrad/tensor';
import { GradientTape, mean, square, sub } from '@tapegrad/autograd';
import { Loss, type Reduction, reduceWeightedValues, squeezeOrExpandToSameRank } from './loss.js';
import { MeanSquaredError } from './regression.js';
import { f64, values } from './test-utils.js';

// per-sample squared errors of these rows: [1, 4, 0, 9]
const Y = f64([[1], [2], [3], [4]]);
const P = f64([[0], [4], [3], [1]]);
const L = [1, 4, 0, 9];
const W = [2, 0.5, 1, 0];

const lossWith = (reduction: Reduction): MeanSquaredError => new MeanSquaredError({ reduction });

describe('Loss reductions', () => {
  it('without weights: sum_over_batch_size and mean divide by the count, sum does not, none keeps the values', () => {
    expect(lossWith('sum_over_batch_size').compute(Y, P, null).item()).toBe(14 / 4);
    expect(lossWith('mean').compute(Y, P, null).item()).toBe(14 / 4);
    expect(lossWith('mean_with_sample_weight').compute(Y, P, null).item()).toBe(14 / 4);
    expect(lossWith('sum').compute(Y, P, null).item()).toBe(14);
    expect(values(lossWith('none').compute(Y, P, null))).toEqual(L);
  });

  it('with weights: the default still divides Σ w·l by the COUNT; mean_with_sample_weight divides by Σ w', () => {
    const w = f64(W);
    const weighted = L.reduce((a, l, i) => a + l * W[i], 0); // 2 + 2 + 0 + 0 = 4
    expect(lossWith('sum_over_batch_size').compute(Y, P, w).item()).toBe(weighted / 4);
    expect(lossWith('mean').compute(Y, P, w).item()).toBe(weighted / 4);
    expect(lossWith('mean_with_sample_weight').compute(Y, P, w).item()).toBe(weighted / 3.5);
    expect(lossWith('sum').compute(Y, P, w).item()).toBe(weighted);
    expect(values(lossWith('none').compute(Y, P, w))).toEqual(L.map((l, i) => l * W[i]));
  });

  it('weights of shape [N, 1] and float32 weights are aligned and cast; Σ w = 0 gives 0, not NaN', () => {
    expect(new MeanSquaredError().compute(Y, P, f64(W.map((v) => [v]))).item()).toBe(1);
    expect(new MeanSquaredError().compute(Y, P, tensor(W)).item()).toBe(1);
    expect(lossWith('mean_with_sample_weight').compute(Y, P, f64([0, 0, 0, 0])).item()).toBe(0);
  });

  it('the weighted loss is differentiable: d/dp of Σ w (y - p)² / N', () => {
    const p = f64([[0], [4], [3], [1]]);
    const tape = new GradientTape();
    tape.watch(p);
    const loss = tape.run(() => new MeanSquaredError().compute(Y, p, f64(W)));
    const g = values(tape.gradient(loss, p, { unconnected: 'zero' }));
    expect(g).toEqual([1, 2, 3, 4].map((y, i) => (-2 * (y - [0, 4, 3, 1][i]) * W[i]) / 4).map((v) => expect.closeTo(v, 14)));
  });

  it('refuses weights that do not fit, naming the loss', () => {
    expect(() => new MeanSquaredError().compute(Y, P, f64([1, 2, 3]))).toThrow(/mean_squared_error: sample weights \[3\] do not fit the per-sample losses \[4\]/);
  });

  it('reduceWeightedValues returns a scalar or empty input as it is', () => {
    const s = f64([]);
    expect(reduceWeightedValues(s, null, null, 'sum_over_batch_size', 'x').shape).toEqual([0]);
    expect(reduceWeightedValues(tensor(3, [], 'float64'), null, null, 'sum', 'x').item()).toBe(3);
  });

  it('a subclass only writes call', () => {
    class MeanQuartic extends Loss {
      constructor() { super({}, 'mean_quartic'); }
      call(yTrue: ReturnType<typeof f64>, yPred: ReturnType<typeof f64>) { return mean(square(square(sub(yTrue, yPred))), -1); }
    }
    const loss = new MeanQuartic();
    expect(loss.name).toBe('mean_quartic');
    expect(loss.compute(Y, P, null).item()).toBe((1 + 16 + 0 + 81) / 4);
    expect(loss.getConfig()).toEqual({ name: 'mean_quartic', reduction: 'sum_over_batch_size' });
  });
});

describe('squeezeOrExpandToSameRank', () => {
  const shapes = (a: number[], b: number[]): number[][] =>
    squeezeOrExpandToSameRank(kernels.reshape(f64(new Array(a.reduce((x, y) => x * y, 1)).fill(0)), a), kernels.reshape(f64(new Array(b.reduce((x, y) => x * y, 1)).fill(0)), b), false).map((t) => t.shape.slice());

  it('expands a rank-1 side, else squeezes the longer side, only across a trailing 1', () => {
    expect(shapes([4], [4, 1])).toEqual([[4, 1], [4, 1]]);
    expect(shapes([4, 1], [4])).toEqual([[4, 1], [4, 1]]);
    expect(shapes([4, 3], [4, 3, 1])).toEqual([[4, 3], [4, 3]]);
    expect(shapes([4, 3, 1], [4, 3])).toEqual([[4, 3], [4, 3]]);
    expect(shapes([4], [4, 3])).toEqual([[4], [4, 3]]);
    expect(shapes([4, 2], [4, 2])).toEqual([[4, 2], [4, 2]]);
  });
});
