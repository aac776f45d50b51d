// Tests of Normalization: weights, adapt (one array, batches, before or after build) on breast-cancer-like scales,
// Keras's docstring values, invert, given mean and variance, gradients, config round trip, and errors.
import { describe, expect, it } from 'vitest';
import { Random, type Tensor, tensor } from '@tapegrad/tensor';
import { gradCheck } from '@tapegrad/autograd';
import type { LayerConfig } from '../layer.js';
import { Normalization } from './normalization.js';

const f64 = (values: number[][] | number[]): Tensor => tensor(values, undefined, 'float64');
const rows = (t: Tensor): number[][] => t.toArray() as number[][];

/**
 * 569 rows with the column scales of the Breast Cancer Wisconsin features: a fractal-dimension error near 0.004,
 * a smoothness near 0.1, a radius near 14, areas near 650 and 880 (up to a few thousand), all positive.
 */
function cancerLike(seed: number): number[][] {
  const rng = new Random(seed);
  const columns: [number, number][] = [[0.0038, 0.0026], [0.096, 0.014], [14.1, 3.5], [655, 352], [880, 569]];
  return Array.from({ length: 569 }, () => columns.map(([m, s]) => m * Math.exp((s / m) * rng.normal() - 0.5 * (s / m) ** 2)));
}

/** Per-column mean and biased variance by plain float64 loops. */
function columnMoments(data: number[][]): { mean: number[]; variance: number[] } {
  const n = data.length;
  const mean = data[0].map((_, j) => data.reduce((a, r) => a + r[j], 0) / n);
  const variance = data[0].map((_, j) => data.reduce((a, r) => a + (r[j] - mean[j]) ** 2, 0) / n);
  return { mean, variance };
}

describe('Normalization', () => {
  it('contract: weights mean, variance, count (non-trainable, 2C+1 params), shape, config round trip, gradCheck', () => {
    const layer = new Normalization({ dtype: 'float64' });
    const data = cancerLike(1);
    layer.adapt(f64(data));
    expect(layer.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      [`${layer.name}/mean`, [5], false],
      [`${layer.name}/variance`, [5], false],
      [`${layer.name}/count`, [], false],
    ]);
    expect(layer.trainableWeights).toEqual([]);
    expect(layer.countParams()).toBe(2 * 5 + 1);
    const x = f64(data.slice(0, 4));
    const y = layer.apply(x);
    expect(y.shape).toEqual([4, 5]);
    expect(layer.computeOutputShape([null, 5])).toEqual([null, 5]);
    const config = layer.getConfig();
    expect(config).toMatchObject({ axis: -1, invert: false, mean: null, variance: null });
    const clone = Normalization.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
    expect(clone.getConfig()).toEqual(config);
    clone.buildFor([null, 5]);
    clone.setWeights(layer.getWeights());
    expect(clone.apply(x).toArray()).toEqual(y.toArray());
    const report = gradCheck((t) => layer.apply(t), [x]);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });

  it('before adapt: mean 0, variance 1, count 0, so the layer is the identity', () => {
    const layer = new Normalization();
    const x = tensor([[1, -2, 3]]);
    expect(layer.apply(x).toArray()).toEqual([[1, -2, 3]]);
    expect(layer.getWeights().map((w) => w.toArray())).toEqual([[0, 0, 0], [1, 1, 1], 0]);
  });

  it('adapt on breast-cancer-like columns (scales 1e-3 to 1e3) gives mean 0 and variance 1 per column (float32)', () => {
    const data = cancerLike(2);
    const layer = new Normalization();
    layer.adapt(tensor(data)); // float32 data, as a user would have it
    const want = columnMoments(data.map((r) => r.map(Math.fround)));
    const got = layer.getWeights();
    Array.from(got[0].toTypedArray()).forEach((m, j) => expect(Math.abs(m - want.mean[j]) / want.mean[j]).toBeLessThan(1e-6));
    Array.from(got[1].toTypedArray()).forEach((v, j) => expect(Math.abs(v - want.variance[j]) / want.variance[j]).toBeLessThan(1e-5));
    const y = columnMoments(rows(layer.apply(tensor(data))));
    y.mean.forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-5));
    y.variance.forEach((v) => expect(Math.abs(v - 1)).toBeLessThan(1e-5));
  });

  it("matches Keras's docstring: per-column statistics, and invert", () => {
    const adaptData = f64([[0, 7, 4], [2, 9, 6], [0, 7, 4], [2, 9, 6]]);
    const layer = new Normalization({ dtype: 'float64' });
    layer.adapt(adaptData);
    expect(rows(layer.apply(f64([[0, 7, 4]])))).toEqual([[-1, -1, -1]]);
    const inverse = new Normalization({ invert: true, dtype: 'float64' });
    inverse.adapt(adaptData);
    // mean [1, 8, 5], standard deviation [1, 1, 1]: y = mean + x·std
    expect(rows(inverse.apply(f64([[1, 2, 3]])))).toEqual([[2, 10, 8]]);
  });

  it('invert undoes the normalization with the same statistics', () => {
    const data = cancerLike(3);
    const norm = new Normalization({ dtype: 'float64' });
    norm.adapt(f64(data));
    const back = new Normalization({ invert: true, dtype: 'float64' });
    back.buildFor([null, 5]);
    back.setWeights(norm.getWeights());
    const x = f64(data.slice(0, 10));
    const roundTrip = rows(back.apply(norm.apply(x)));
    roundTrip.forEach((r, i) => r.forEach((v, j) => expect(Math.abs(v - data[i][j]) / data[i][j]).toBeLessThan(1e-12)));
  });

  it('axis null: one scalar mean and variance over everything (Keras docstring)', () => {
    const layer = new Normalization({ axis: null });
    layer.adapt([1, 2, 3, 4, 5]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[], [], []]);
    const y = Array.from(layer.apply(tensor([1, 2, 3])).toTypedArray());
    [-Math.SQRT2, -Math.SQRT1_2, 0].forEach((v, i) => expect(y[i]).toBeCloseTo(v, 6));
  });

  it('keeps several axes: statistics per (height, width) position, reduced over batch and channels', () => {
    const x = tensor(Float64Array.from({ length: 2 * 2 * 3 * 2 }, (_, i) => (i * 7) % 11), [2, 2, 3, 2]);
    const layer = new Normalization({ axis: [1, 2], dtype: 'float64' });
    layer.adapt(x);
    expect(layer.weights.map((w) => w.shape)).toEqual([[2, 3], [2, 3], []]);
    const xs = x.toArray() as number[][][][];
    const mean = layer.getWeights()[0].toArray() as number[][];
    const variance = layer.getWeights()[1].toArray() as number[][];
    for (let h = 0; h < 2; h++) {
      for (let w = 0; w < 3; w++) {
        const cells = [xs[0][h][w][0], xs[0][h][w][1], xs[1][h][w][0], xs[1][h][w][1]];
        const m = cells.reduce((a, b) => a + b, 0) / 4;
        expect(mean[h][w]).toBeCloseTo(m, 12);
        expect(variance[h][w]).toBeCloseTo(cells.reduce((a, b) => a + (b - m) ** 2, 0) / 4, 12);
      }
    }
  });

  it('adapt on a list of batches merges them exactly (as one array would give)', () => {
    const data = cancerLike(4);
    const whole = new Normalization({ dtype: 'float64' });
    whole.adapt(f64(data));
    const batched = new Normalization({ dtype: 'float64' });
    batched.adapt([f64(data.slice(0, 100)), f64(data.slice(100, 132)), f64(data.slice(132))]);
    const [wm, wv] = whole.getWeights().map((t) => Array.from(t.toTypedArray()));
    const [bm, bv] = batched.getWeights().map((t) => Array.from(t.toTypedArray()));
    wm.forEach((m, j) => expect(Math.abs(bm[j] - m) / Math.abs(m)).toBeLessThan(1e-12));
    wv.forEach((v, j) => expect(Math.abs(bv[j] - v) / v).toBeLessThan(1e-10));
  });

  it('adapt after build, and again later, replaces the statistics', () => {
    const layer = new Normalization();
    layer.buildFor([null, 2]);
    layer.adapt([[0, 10], [2, 30]]);
    expect(layer.getWeights()[0].toArray()).toEqual([1, 20]);
    expect(layer.getWeights()[1].toArray()).toEqual([1, 100]);
    layer.adapt([[4, 0], [4, 0]]);
    expect(layer.getWeights()[0].toArray()).toEqual([4, 0]);
    // a constant column: variance 0, divided by max(0, 1e-7)
    expect(rows(layer.apply(tensor([[4, 1e-7]])))).toEqual([[0, 1]]);
  });

  it('given mean and variance: no weights, values aligned with the kept axes, config keeps them', () => {
    const layer = new Normalization({ mean: 3, variance: 2, dtype: 'float64' });
    const y = Array.from(layer.apply(f64([[1], [2], [3]])).toTypedArray());
    [-Math.SQRT2, -Math.SQRT1_2, 0].forEach((v, i) => expect(y[i]).toBeCloseTo(v, 12));
    expect(layer.weights).toEqual([]);
    const perColumn = new Normalization({ mean: [1, 2], variance: [4, 9], invert: true, dtype: 'float64' });
    expect(rows(perColumn.apply(f64([[1, 1], [0, -1]])))).toEqual([[3, 5], [1, -1]]);
    const config = perColumn.getConfig();
    expect(config).toMatchObject({ mean: [1, 2], variance: [4, 9], invert: true });
    const clone = Normalization.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
    expect(clone.getConfig()).toEqual(config);
    expect(rows(clone.apply(f64([[1, 1]])))).toEqual([[3, 5]]);
  });

  it('accepts other sizes on the reduced axes, but not on the kept ones', () => {
    const layer = new Normalization({ axis: -1 });
    layer.adapt(tensor(new Float32Array(2 * 3 * 4), [2, 3, 4]));
    expect(layer.apply(tensor(new Float32Array(5 * 7 * 4), [5, 7, 4])).shape).toEqual([5, 7, 4]);
    expect(() => layer.apply(tensor(new Float32Array(2 * 3 * 2), [2, 3, 2]))).toThrow(
      /\(Normalization\): expected an input like \(None, 3, 4\) \(rank 3, kept axes \[2\]\), got \[2, 3, 2\]/,
    );
    expect(() => layer.adapt(tensor(new Float32Array(6), [2, 3]))).toThrow(
      /\(Normalization\): the layer was built for inputs of shape \(None, 3, 4\) but adapt\(\) got data of shape \[2, 3\]/,
    );
  });

  it('rejects bad options, naming the layer and the values', () => {
    expect(() => new Normalization({ mean: 1 })).toThrow(/^Normalization: when setting values directly, both mean and variance must be given; got mean=1 and variance=null/);
    expect(() => new Normalization({ mean: [1, 2], variance: [1] })).toThrow(/Normalization: mean and variance must have the same shape; got mean \[2\] and variance \[1\]/);
    expect(() => new Normalization({ mean: [[1]], variance: [[1]] })).toThrow(/the rank of mean \(shape \[1, 1\]\) must be at most the number of kept axes \(1/);
    expect(() => new Normalization({ axis: 1.5 })).toThrow(/Normalization: axis must be an integer, an array of integers or null, got 1.5/);
    expect(() => new Normalization({ axis: 2 }).buildFor([null, 3])).toThrow(/\(Normalization\): axis values must be in \[-2, 2\) for inputs of rank 2; got axis 2/);
    expect(() => new Normalization({ axis: 0 }).buildFor([null, 3])).toThrow(/the kept axes must have known sizes; axis 0 .* \(the batch axis cannot be kept\)/);
    expect(() => new Normalization({ mean: [1, 2, 3], variance: [1, 1, 1] }).buildFor([null, 2])).toThrow(
      /\(Normalization\): the given mean and variance of shape \[3\] do not fit the kept axes \[1\] of sizes \[2\]/,
    );
    expect(() => new Normalization({ mean: 0, variance: 1 }).adapt([[1]])).toThrow(/adapt\(\) cannot be used on a layer given mean and variance/);
    expect(() => new Normalization().adapt([])).toThrow(/Normalization: adapt\(\) got no data/);
  });
});
