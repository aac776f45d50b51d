// Tests of getLoss: Keras names in snake_case and camelCase with their aliases, instances and functions, the
// 'crossentropy' shape rule, and the error for an unknown name.
import { describe, expect, it } from 'vitest';
import { abs, mean, sub } from '@tapegrad/autograd';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './crossentropy.js';
import { LossFunctionWrapper, getLoss } from './get-loss.js';
import { Hinge, MeanAbsoluteError, MeanSquaredError } from './regression.js';
import { f64, oneHotRows, refBce, refCce, values } from './test-utils.js';

describe('getLoss', () => {
  it('resolves Keras names, aliases and camelCase to loss classes named as given', () => {
    const cases: [string, abstract new (...args: never[]) => unknown][] = [
      ['binary_crossentropy', BinaryCrossentropy], ['binaryCrossentropy', BinaryCrossentropy], ['bce', BinaryCrossentropy],
      ['BinaryCrossentropy', BinaryCrossentropy],
      ['categorical_crossentropy', CategoricalCrossentropy], ['cce', CategoricalCrossentropy],
      ['sparse_categorical_crossentropy', SparseCategoricalCrossentropy], ['sparseCategoricalCrossentropy', SparseCategoricalCrossentropy],
      ['mean_squared_error', MeanSquaredError], ['mse', MeanSquaredError], ['MSE', MeanSquaredError],
      ['mean_absolute_error', MeanAbsoluteError], ['mae', MeanAbsoluteError], ['hinge', Hinge],
    ];
    for (const [name, cls] of cases) {
      const loss = getLoss(name);
      expect(loss, name).toBeInstanceOf(cls);
      expect(loss.name).toBe(name);
      expect(loss.reduction).toBe('sum_over_batch_size');
    }
  });

  it('returns a Loss as it is and wraps a function, whose per-sample values are reduced', () => {
    const bce = new BinaryCrossentropy({ fromLogits: true });
    expect(getLoss(bce)).toBe(bce);
    const meanAbs = (t: ReturnType<typeof f64>, p: ReturnType<typeof f64>) => mean(abs(sub(t, p)), -1);
    const loss = getLoss(meanAbs);
    expect(loss).toBeInstanceOf(LossFunctionWrapper);
    expect(loss.name).toBe('meanAbs');
    // labels [N] are aligned with the output [N, 1] before the function sees them
    expect(loss.compute(f64([1, 2, 3]), f64([[0], [2], [5]]), null).item()).toBe(1);
    expect(loss.compute(f64([1, 2, 3]), f64([[0], [2], [5]]), f64([3, 1, 0])).item()).toBe(1);
  });

  it("'crossentropy' picks binary, sparse or categorical by shape (Keras 3 compile)", () => {
    const ce = getLoss('crossentropy');
    expect(ce.compute(f64([[1], [0]]), f64([[0.8], [0.4]])).item()).toBeCloseTo((refBce([[1]], [[0.8]])[0] + refBce([[0]], [[0.4]])[0]) / 2, 12);
    const p = [[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]];
    const expected = refCce(oneHotRows([1, 0], 3), p);
    expect(values(ce.call(f64([1, 0]), f64(p)))).toEqual(expected.map((v) => expect.closeTo(v, 12)));
    expect(values(ce.call(f64([[1], [0]]), f64(p)))).toEqual(expected.map((v) => expect.closeTo(v, 12)));
    expect(values(ce.call(f64(oneHotRows([1, 0], 3)), f64(p)))).toEqual(expected.map((v) => expect.closeTo(v, 12)));
  });

  it('lists the valid names for an unknown one', () => {
    expect(() => getLoss('binary_cross_entropy_loss')).toThrow(
      "Unknown loss 'binary_cross_entropy_loss'. Valid losses: 'bce', 'binary_crossentropy', 'categorical_crossentropy', 'cce', " +
        "'ce', 'crossentropy', 'hinge', 'mae', 'mean_absolute_error', 'mean_squared_error', 'mse', 'sparse_categorical_crossentropy' " +
        '(snake_case or camelCase)',
    );
    expect(() => getLoss(42 as never)).toThrow(/getLoss: expected a loss name, a Loss or a function/);
  });
});
