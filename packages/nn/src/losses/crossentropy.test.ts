// Tests of the cross-entropy losses against the formulas worked as plain loops: probabilities and logits, label
// smoothing, label alignment, clipping, the logits path of sigmoid/softmax outputs, and the error messages.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tensor } from '@tapegrad/tensor';
import { GradientTape, sigmoid } from '@tapegrad/autograd';
import {
  BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, binaryCrossentropy, categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from './crossentropy.js';
import {
  binaryRows, f64, oneHotRows, refBce, refCce, sigmoidOutput, sigmoidRows, softmaxOutput, uniformRows, values,
} from './test-utils.js';

const CAP = -Math.log(1e-7); // 16.118095650958317
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

afterEach(() => vi.restoreAllMocks());

describe('binaryCrossentropy', () => {
  const y = binaryRows(1, 6, 3);
  const p = uniformRows(2, 6, 3, 0.02, 0.98);
  const z = uniformRows(3, 6, 3, -6, 6);

  it('on probabilities: the mean over the last axis of -(y log p + (1-y) log(1-p))', () => {
    const got = values(binaryCrossentropy(f64(y), f64(p)));
    expect(got).toHaveLength(6);
    refBce(y, p).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
    expect(values(binaryCrossentropy(f64([[1], [0]]), f64([[0.9], [0.2]])))).toEqual([-Math.log(0.9), -Math.log(0.8)].map((v) => expect.closeTo(v, 12)));
  });

  it('on logits: max(z,0) - z·y + log(1 + e^-|z|), finite for large |z|', () => {
    const got = values(binaryCrossentropy(f64(y), f64(z), { fromLogits: true }));
    refBce(y, z, { logits: true }).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
    expect(values(binaryCrossentropy(f64([[0, 1, 1, 0]]), f64([[100, -100, 100, -100]]), { fromLogits: true }))).toEqual([50]);
  });

  it('label smoothing squeezes the labels toward 0.5, on both paths', () => {
    const got = values(binaryCrossentropy(f64(y), f64(p), { labelSmoothing: 0.2 }));
    refBce(y, p, { ls: 0.2 }).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
    const gotZ = values(binaryCrossentropy(f64(y), f64(z), { labelSmoothing: 0.2, fromLogits: true }));
    refBce(y, z, { ls: 0.2, logits: true }).forEach((v, i) => expect(gotZ[i]).toBeCloseTo(v, 12));
  });

  it('aligns labels [N] with an output [N, 1] (Keras squeeze_or_expand_to_same_rank)', () => {
    const labels = [1, 0, 1, 1];
    const probs = [[0.8], [0.3], [0.6], [0.99]];
    const expected = refBce(labels.map((v) => [v]), probs);
    expect(values(binaryCrossentropy(f64(labels), f64(probs)))).toEqual(expected.map((v) => expect.closeTo(v, 12)));
    expect(new BinaryCrossentropy().compute(f64(labels), f64(probs)).item()).toBeCloseTo(mean(expected), 12);
    // and float32 labels against float64 predictions are cast, not refused
    expect(new BinaryCrossentropy().compute(tensor(labels), f64(probs)).item()).toBeCloseTo(mean(expected), 12);
  });

  it('clips at p = 0 and 1: the loss is capped at -log(1e-7) ≈ 16.118 and the gradient there is 0', () => {
    const yT = f64([[1], [0], [1], [0]]);
    const pT = f64([[0], [1], [1], [0]]);
    const got = values(binaryCrossentropy(yT, pT));
    expect(got[0]).toBeCloseTo(CAP, 6);
    expect(got[1]).toBeCloseTo(CAP, 6);
    expect(got[2]).toBeCloseTo(-Math.log(1 - 1e-7), 12);
    expect(CAP).toBeCloseTo(16.118, 3);
    const tape = new GradientTape();
    tape.watch(pT);
    const loss = tape.run(() => new BinaryCrossentropy().compute(yT, pT));
    expect(values(tape.gradient(loss, pT, { unconnected: 'zero' })).map(Math.abs)).toEqual([0, 0, 0, 0]);
    // float32, the default dtype: p = 0 against label 1 gives -log(float32(1e-7))
    expect(binaryCrossentropy(tensor([[1]]), tensor([[0]])).item()).toBeCloseTo(CAP, 4);
  });

  it('takes the logits path for a sigmoid output: same value and gradient as fromLogits on the logits', () => {
    const zT = f64(z);
    const auto = new BinaryCrossentropy().compute(f64(y), sigmoidOutput(zT)).item();
    const explicit = new BinaryCrossentropy({ fromLogits: true }).compute(f64(y), zT).item();
    expect(auto).toBeCloseTo(explicit, 14);
    // where σ(z) is within 1e-7 of 1 the clipped form would cap at 16.118; the logits form gives z itself
    const big = f64([[30]]);
    expect(binaryCrossentropy(f64([[0]]), sigmoidOutput(big)).item()).toBeCloseTo(30, 10);
    expect(binaryCrossentropy(f64([[0]]), sigmoid(big)).item()).toBeCloseTo(CAP, 4); // an unmarked sigmoid: clipped
    // the gradient reaches z directly: (σ(z) - y) / (elements), not through the sigmoid op
    const tape = new GradientTape();
    tape.watch(zT);
    const loss = tape.run(() => new BinaryCrossentropy().compute(f64(y), sigmoidOutput(zT)));
    const g = values(tape.gradient(loss, zT, { unconnected: 'zero' }));
    const s = sigmoidRows(z);
    const expected = y.flatMap((r, i) => r.map((t, j) => (s[i][j] - t) / 18));
    g.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 14));
  });

  it('keeps the logits of a sigmoid output that alignment squeezes (labels [N, T] vs output [N, T, 1])', () => {
    const z = [[-20, 0.3, 2], [25, -1, 0]];
    const y = [[1, 0, 1], [0, 1, 0]];
    const z3 = f64(z.map((r) => r.map((v) => [v])));
    const got = values(binaryCrossentropy(f64(y), sigmoidOutput(z3)));
    expect(got).toEqual(refBce(y, z, { logits: true }).map((v) => expect.closeTo(v, 12))); // uncapped: 20 and 25 count in full
  });

  it('with fromLogits on a sigmoid output, warns and uses the logits behind it (Keras TF backend)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const zT = f64([[0.5], [-1]]);
    const got = binaryCrossentropy(f64([[1], [0]]), sigmoidOutput(zT), { fromLogits: true });
    expect(values(got)).toEqual(refBce([[1], [0]], [[0.5], [-1]], { logits: true }).map((v) => expect.closeTo(v, 12)));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/fromLogits: true.*sigmoid/);
  });

  it('names the loss, both shapes and the alternatives when one probability meets 10 outputs', () => {
    const call = (): unknown => new BinaryCrossentropy().compute(tensor(new Float32Array(32), [32, 1]), tensor(new Float32Array(320), [32, 10]));
    expect(call).toThrow(
      'binary_crossentropy: y_true [32, 1] and y_pred [32, 10] have different shapes; binary crossentropy needs one ' +
        'probability per label — for 10 classes use categorical_crossentropy with one-hot labels or ' +
        'sparse_categorical_crossentropy with integer labels',
    );
    expect(() => binaryCrossentropy(tensor(new Float32Array(32), [32]), tensor(new Float32Array(320), [32, 10]))).toThrow(/\[32\] and y_pred \[32, 10\]/);
    expect(() => binaryCrossentropy(f64([[1, 0, 1]]), f64([[0.5]]))).toThrow(/1 output per sample but y_true has 3/);
  });

  it('checks its options', () => {
    expect(() => new BinaryCrossentropy({ from_logits: true } as never)).toThrow("from_logits (spelled 'fromLogits' here)");
    expect(() => new BinaryCrossentropy({ labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be a number in \[0, 1\]/);
    expect(() => new BinaryCrossentropy({ reduction: 'avg' as never })).toThrow(/invalid reduction 'avg'/);
    expect(new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }).getConfig()).toEqual({
      name: 'binary_crossentropy', reduction: 'sum_over_batch_size', fromLogits: true, labelSmoothing: 0.1, axis: -1,
    });
  });
});

describe('categoricalCrossentropy', () => {
  const labels = [0, 2, 1, 3, 2];
  const y = oneHotRows(labels, 4);
  const raw = uniformRows(4, 5, 4, 0.05, 1); // unnormalized on purpose: the loss divides by Σp
  const z = uniformRows(5, 5, 4, -5, 5);

  it('on probabilities: -Σ y log(clip(p / Σp))', () => {
    const got = values(categoricalCrossentropy(f64(y), f64(raw)));
    refCce(y, raw).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
    expect(categoricalCrossentropy(f64([[0, 1, 0]]), f64([[0.2, 0.5, 0.3]])).item()).toBeCloseTo(Math.log(2), 12);
  });

  it('on logits: -Σ y logSoftmax(z), finite for large logits', () => {
    const got = values(categoricalCrossentropy(f64(y), f64(z), { fromLogits: true }));
    refCce(y, z, { logits: true }).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
    expect(categoricalCrossentropy(f64([[1, 0]]), f64([[-1000, 1000]]), { fromLogits: true }).item()).toBe(2000);
  });

  it('label smoothing mixes in ls / classes, on both paths', () => {
    const got = values(categoricalCrossentropy(f64(y), f64(raw), { labelSmoothing: 0.1 }));
    refCce(y, raw, { ls: 0.1 }).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
    const gotZ = values(categoricalCrossentropy(f64(y), f64(z), { labelSmoothing: 0.1, fromLogits: true }));
    refCce(y, z, { ls: 0.1, logits: true }).forEach((v, i) => expect(gotZ[i]).toBeCloseTo(v, 12));
  });

  it('clips a zero probability: the loss caps at -log(1e-7) with gradient 0', () => {
    const pT = f64([[0, 0.5, 0.5]]);
    expect(categoricalCrossentropy(f64([[1, 0, 0]]), pT).item()).toBeCloseTo(CAP, 10);
    const tape = new GradientTape();
    tape.watch(pT);
    const loss = tape.run(() => categoricalCrossentropy(f64([[1, 0, 0]]), pT));
    expect(values(tape.gradient(loss, pT, { unconnected: 'zero' })).map(Math.abs)).toEqual([0, 0, 0]);
  });

  it('takes the logits path for a softmax output, and its gradient reaches z as (softmax(z) - y) / N', () => {
    const zT = f64(z);
    const auto = new CategoricalCrossentropy().compute(f64(y), softmaxOutput(zT)).item();
    expect(auto).toBeCloseTo(new CategoricalCrossentropy({ fromLogits: true }).compute(f64(y), zT).item(), 14);
    expect(categoricalCrossentropy(f64([[1, 0]]), softmaxOutput(f64([[-40, 40]]))).item()).toBeCloseTo(80, 10);
    const tape = new GradientTape();
    tape.watch(zT);
    const loss = tape.run(() => new CategoricalCrossentropy().compute(f64(y), softmaxOutput(zT)));
    const g = values(tape.gradient(loss, zT, { unconnected: 'zero' }));
    z.forEach((row, i) => {
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      row.forEach((_, c) => expect(g[i * 4 + c]).toBeCloseTo((e[c] / s - y[i][c]) / 5, 14));
    });
  });

  it('sums over a chosen axis', () => {
    const yT = f64([[[1, 0], [0, 1]], [[0, 1], [1, 0]]]); // classes along axis 1
    const pT = f64([[[0.7, 0.4], [0.3, 0.6]], [[0.1, 0.8], [0.9, 0.2]]]);
    const got = values(categoricalCrossentropy(yT, pT, { axis: 1 }));
    expect(got).toEqual([-Math.log(0.7), -Math.log(0.6), -Math.log(0.9), -Math.log(0.8)].map((v) => expect.closeTo(v, 12)));
  });

  it('explains integer labels given to it, and a one-unit output', () => {
    expect(() => categoricalCrossentropy(tensor(new Float32Array(32), [32, 1]), tensor(new Float32Array(320), [32, 10])))
      .toThrow(/categorical_crossentropy: y_true \[32, 1\] and y_pred \[32, 10\] have different shapes; .*use sparse_categorical_crossentropy/);
    expect(() => categoricalCrossentropy(f64([[0, 1, 0]]), f64([[0.4]]))).toThrow(/1 output per sample but y_true has 3 classes/);
  });
});

describe('sparseCategoricalCrossentropy', () => {
  const labels = [0, 2, 1, 3, 2];
  const raw = uniformRows(6, 5, 4, 0.05, 1);
  const z = uniformRows(7, 5, 4, -5, 5);

  it('equals categorical cross-entropy on the one-hot labels, for labels [N] and [N, 1], probabilities and logits', () => {
    const y = oneHotRows(labels, 4);
    for (const lab of [f64(labels), f64(labels.map((k) => [k]))]) {
      values(sparseCategoricalCrossentropy(lab, f64(raw))).forEach((v, i) => expect(v).toBeCloseTo(refCce(y, raw)[i], 12));
      values(sparseCategoricalCrossentropy(lab, f64(z), { fromLogits: true }))
        .forEach((v, i) => expect(v).toBeCloseTo(refCce(y, z, { logits: true })[i], 12));
    }
    expect(sparseCategoricalCrossentropy(f64([1]), f64([[0.2, 0.5, 0.3]])).item()).toBeCloseTo(Math.log(2), 12);
  });

  it('takes the logits path for a softmax output', () => {
    const zT = f64(z);
    const a = new SparseCategoricalCrossentropy().compute(f64(labels), softmaxOutput(zT)).item();
    expect(a).toBeCloseTo(new SparseCategoricalCrossentropy({ fromLogits: true }).compute(f64(labels), zT).item(), 14);
  });

  it('ignoreClass: those samples give 0 and the mean runs over the others only', () => {
    const lab = f64([0, -1, 1, -1]);
    const p = [[0.7, 0.3], [0.5, 0.5], [0.4, 0.6], [0.1, 0.9]];
    const loss = new SparseCategoricalCrossentropy({ ignoreClass: -1 });
    expect(values(loss.call(lab, f64(p)))).toEqual([-Math.log(0.7), 0, -Math.log(0.6), 0].map((v) => expect.closeTo(v, 12)));
    expect(loss.compute(lab, f64(p)).item()).toBeCloseTo((-Math.log(0.7) - Math.log(0.6)) / 2, 12);
    const summed = new SparseCategoricalCrossentropy({ ignoreClass: -1, reduction: 'sum' });
    expect(summed.compute(lab, f64(p)).item()).toBeCloseTo(-Math.log(0.7) - Math.log(0.6), 12);
    const w = f64([2, 5, 1, 5]);
    expect(loss.compute(lab, f64(p), w).item()).toBeCloseTo((-2 * Math.log(0.7) - Math.log(0.6)) / 2, 12);
    const byWeight = new SparseCategoricalCrossentropy({ ignoreClass: -1, reduction: 'mean_with_sample_weight' });
    expect(byWeight.compute(lab, f64(p), w).item()).toBeCloseTo((-2 * Math.log(0.7) - Math.log(0.6)) / 3, 12);
  });

  it('refuses labels outside [0, classes), fractional labels, and one-hot labels', () => {
    const p = f64(uniformRows(8, 3, 10, 0.1, 1));
    expect(() => sparseCategoricalCrossentropy(f64([1, 10, 2]), p)).toThrow(
      'sparse_categorical_crossentropy: label 10 at position 1 is outside the valid range [0, 10) for y_pred with 10 classes; ' +
        'labels must be integer class indices from 0 to 9',
    );
    expect(() => sparseCategoricalCrossentropy(f64([1, -1, 2]), p)).toThrow(/label -1 at position 1 is outside/);
    expect(() => sparseCategoricalCrossentropy(f64([1, 0.5, 2]), p)).toThrow(/label 0.5 at position 1 is not an integer/);
    expect(() => sparseCategoricalCrossentropy(f64(oneHotRows([1, 2, 3], 10)), p)).toThrow(/y_true \[3, 10\] does not fit y_pred \[3, 10\]; y_true looks one-hot: use categorical_crossentropy/);
    expect(() => sparseCategoricalCrossentropy(f64([1, 2]), p)).toThrow(/one integer class label per row of y_pred, shape \[3\] or \[3, 1\]/);
    expect(() => sparseCategoricalCrossentropy(f64([1, 2, 3]), p, { axis: 0 })).toThrow(/only the last axis/);
  });

  it('getConfig has its options', () => {
    expect(new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, name: 'scce' }).getConfig()).toEqual({
      name: 'scce', reduction: 'sum_over_batch_size', fromLogits: true, ignoreClass: -1,
    });
  });
});
