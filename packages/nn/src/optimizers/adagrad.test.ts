// Tests of Adagrad: defaults, the 'accumulator' slot and its starting value, a hand-worked step, config.
import { describe, expect, it } from 'vitest';
import { type DType, tensor } from '@tapegrad/tensor';
import { Variable } from '@tapegrad/autograd';
import { Adagrad } from './adagrad.js';

const variable = (values: number[], dtype: DType = 'float64'): Variable => new Variable(tensor(values, undefined, dtype));

describe('Adagrad', () => {
  it("has Keras 3's defaults and name", () => {
    const opt = new Adagrad();
    expect(Adagrad.className).toBe('Adagrad');
    expect(opt.name).toBe('adagrad');
    expect(opt.learningRate).toBe(0.001);
    expect([opt.initialAccumulatorValue, opt.epsilon]).toEqual([0.1, 1e-7]);
  });

  it("starts the 'accumulator' slot at initialAccumulatorValue, in the variable's dtype", () => {
    const w64 = variable([1, 2, 3]);
    const w32 = variable([1, 2, 3], 'float32');
    const opt = new Adagrad();
    opt.setState([w64, w32], { iterations: 0, slots: [{}, {}] });
    expect(opt.slotNames).toEqual(['accumulator']);
    expect(opt.getSlot(w64, 'accumulator')).toEqual(new Float64Array([0.1, 0.1, 0.1]));
    expect(opt.getSlot(w32, 'accumulator')).toEqual(new Float32Array([0.1, 0.1, 0.1]));
    const half = new Adagrad({ initialAccumulatorValue: 0.5 });
    half.setState([w64], { iterations: 0, slots: [{}] });
    expect(half.getSlot(w64, 'accumulator')).toEqual(new Float64Array([0.5, 0.5, 0.5]));
  });

  it('one step: acc = 0.1 + g², w ← w - lr·g/sqrt(acc + ε)', () => {
    const opt = new Adagrad({ learningRate: 0.1 });
    const w = variable([1, 2]);
    opt.applyGradients([[tensor([0.5, -1], undefined, 'float64'), w]]);
    expect(Array.from(opt.getSlot(w, 'accumulator')!)).toEqual([expect.closeTo(0.35, 15), expect.closeTo(1.1, 15)]);
    expect(w.data[0]).toBeCloseTo(1 - 0.05 / Math.sqrt(0.35 + 1e-7), 15);
    expect(w.data[1]).toBeCloseTo(2 + 0.1 / Math.sqrt(1.1 + 1e-7), 15);
  });

  it('puts initialAccumulatorValue and epsilon in its config', () => {
    expect(new Adagrad({ initialAccumulatorValue: 0.5, weightDecay: 0.01 }).getConfig()).toEqual({
      name: 'adagrad',
      learningRate: 0.001,
      initialAccumulatorValue: 0.5,
      epsilon: 1e-7,
      weightDecay: 0.01,
      clipnorm: null,
      clipvalue: null,
      globalClipnorm: null,
    });
  });
});
