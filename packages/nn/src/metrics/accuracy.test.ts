// Tests of the accuracy metrics against hand-counted matches: the 0.5 threshold edge, argmax ties, label shapes.
import { describe, expect, it } from 'vitest';
import { tensor } from '@tapegrad/tensor';
import { f64, values } from '../losses/test-utils.js';
import {
  BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy,
} from './accuracy.js';

describe('binaryAccuracy', () => {
  it('thresholds strictly: p = 0.5 is class 0', () => {
    expect(values(binaryAccuracy(f64([[1], [0], [0], [1], [1]]), f64([[0.7], [0.5], [0.51], [0.5], [0.500001]])))).toEqual([1, 1, 0, 0, 1]);
    expect(values(binaryAccuracy(f64([1, 0]), f64([[0.8], [0.3]])))).toEqual([1, 1]); // labels [N] against [N, 1]
    expect(values(binaryAccuracy(f64([[1], [0]]), f64([[0.6], [0.65]]), 0.62))).toEqual([0, 0]);
    expect(values(binaryAccuracy(f64([[0.9]]), f64([[0.99]])))).toEqual([0]); // a soft label never matches
  });

  it('BinaryAccuracy averages over samples, and over the outputs of one sample', () => {
    const m = new BinaryAccuracy();
    expect(m.name).toBe('binary_accuracy');
    m.updateState(f64([[1, 0], [1, 1]]), f64([[0.9, 0.1], [0.2, 0.8]]), null); // sample means 1 and 0.5
    expect(m.result()).toBe(0.75);
    m.updateState(tensor([0]), tensor([[0.5]]), null);
    expect(m.result()).toBe(2.5 / 3); // 1.5 from the first batch, then 0.5 is class 0: a match
    expect(new BinaryAccuracy({ threshold: 0.7, name: 'acc70' }).getConfig()).toEqual({ name: 'acc70', threshold: 0.7 });
  });

  it('refuses predictions of another shape', () => {
    expect(() => binaryAccuracy(f64([[1], [0]]), f64([[0.2, 0.8], [0.6, 0.4]]))).toThrow(/binary_accuracy: y_true \[2, 1\] and y_pred \[2, 2\] have different shapes/);
  });
});

describe('categorical and sparse categorical accuracy', () => {
  const p = [[0.1, 0.6, 0.3], [0.5, 0.2, 0.3], [0.4, 0.4, 0.2], [0.2, 0.3, 0.5]];
  const labels = [1, 2, 1, 2]; // argmax of p: 1, 0, 0 (tie: first), 2
  const oneHot = labels.map((k) => [0, 1, 2].map((c) => (c === k ? 1 : 0)));

  it('compare argmaxes, ties going to the first index', () => {
    expect(values(categoricalAccuracy(f64(oneHot), f64(p)))).toEqual([1, 0, 0, 1]);
    expect(values(sparseCategoricalAccuracy(f64(labels), f64(p)))).toEqual([1, 0, 0, 1]);
    expect(values(sparseCategoricalAccuracy(f64(labels.map((k) => [k])), f64(p)))).toEqual([1, 0, 0, 1]);
  });

  it('the metric classes keep running means', () => {
    const c = new CategoricalAccuracy();
    const s = new SparseCategoricalAccuracy();
    c.updateState(f64(oneHot), f64(p), null);
    s.updateState(f64(labels), f64(p), f64([1, 1, 1, 5]));
    expect([c.name, c.result()]).toEqual(['categorical_accuracy', 0.5]);
    expect([s.name, s.result()]).toEqual(['sparse_categorical_accuracy', 6 / 8]);
  });

  it('explain shapes that do not fit', () => {
    expect(() => categoricalAccuracy(f64(labels), f64(p))).toThrow(/categorical_accuracy: y_true \[4\] and y_pred \[4, 3\] .*sparse_categorical_accuracy/);
    expect(() => sparseCategoricalAccuracy(f64(oneHot), f64(p))).toThrow(/sparse_categorical_accuracy: y_true \[4, 3\] does not fit y_pred \[4, 3\]/);
  });
});
