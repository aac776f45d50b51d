// Tests of Adam: defaults, slots ('momentum', 'velocity', 'velocity_hat'), one hand-worked step, AMSGrad's maximum, config.
import { describe, expect, it } from 'vitest';
import { type DType, tensor } from '@tapegrad/tensor';
import { Variable } from '@tapegrad/autograd';
import { Adam } from './adam.js';

const variable = (values: number[], dtype: DType = 'float64'): Variable => new Variable(tensor(values, undefined, dtype));
const grad = (values: number[], dtype: DType = 'float64') => tensor(values, undefined, dtype);
const values = (a: ArrayLike<number> | undefined): number[] => Array.from(a ?? []);

describe('Adam', () => {
  it("has Keras 3's defaults and name", () => {
    const opt = new Adam();
    expect(Adam.className).toBe('Adam');
    expect(opt.name).toBe('adam');
    expect(opt.learningRate).toBe(0.001);
    expect([opt.beta1, opt.beta2, opt.epsilon, opt.amsgrad]).toEqual([0.9, 0.999, 1e-7, false]);
  });

  it("makes zero 'momentum' and 'velocity' slots, and 'velocity_hat' with amsgrad", () => {
    const w = variable([1, 2, 3], 'float32');
    const plain = new Adam();
    plain.setState([w], { iterations: 0, slots: [{}] });
    expect(plain.slotNames).toEqual(['momentum', 'velocity']);
    expect(plain.getSlot(w, 'momentum')).toEqual(new Float32Array(3));
    expect(plain.getSlot(w, 'velocity')).toEqual(new Float32Array(3));
    const ams = new Adam({ amsgrad: true });
    ams.setState([w], { iterations: 0, slots: [{}] });
    expect(ams.slotNames).toEqual(['momentum', 'velocity', 'velocity_hat']);
    expect(ams.getSlot(w, 'velocity_hat')).toEqual(new Float32Array(3));
  });

  it('one step: m = 0.1·g, v = 0.001·g², w ← w - α·m/(sqrt(v) + ε) with α = lr·sqrt(0.001)/0.1', () => {
    const opt = new Adam({ learningRate: 0.1 });
    const w = variable([1, 2]);
    opt.applyGradients([[grad([0.5, -1]), w]]);
    expect(values(opt.getSlot(w, 'momentum'))).toEqual([expect.closeTo(0.05, 15), expect.closeTo(-0.1, 15)]);
    expect(values(opt.getSlot(w, 'velocity'))).toEqual([expect.closeTo(0.00025, 15), expect.closeTo(0.001, 15)]);
    const alpha = Math.sqrt(0.001); // 0.1·sqrt(1 - 0.999)/(1 - 0.9)
    expect(w.data[0]).toBeCloseTo(1 - (0.05 * alpha) / (Math.sqrt(0.00025) + 1e-7), 14);
    expect(w.data[1]).toBeCloseTo(2 + (0.1 * alpha) / (Math.sqrt(0.001) + 1e-7), 14);
    // The first step moves each weight by about lr, whatever the gradient's size.
    expect(values(w.data)).toEqual([expect.closeTo(0.9, 5), expect.closeTo(2.1, 5)]);
  });

  it("keeps AMSGrad's running maximum of v in 'velocity_hat' and divides by it", () => {
    const opt = new Adam({ learningRate: 0.1, beta2: 0.5, amsgrad: true });
    const w = variable([1]);
    opt.applyGradients([[grad([1]), w]]); // v = 0.5
    opt.applyGradients([[grad([0]), w]]); // v = 0.25, vhat stays 0.5
    expect(values(opt.getSlot(w, 'velocity'))).toEqual([0.25]);
    expect(values(opt.getSlot(w, 'velocity_hat'))).toEqual([0.5]);
    // Step 2 by hand: m = 0.9·0.1 = 0.09, α = 0.1·sqrt(1 - 0.25)/(1 - 0.81)
    const step1 = (0.1 * Math.sqrt(0.5)) / 0.1 * 0.1 / (Math.sqrt(0.5) + 1e-7);
    const step2 = ((0.1 * Math.sqrt(0.75)) / 0.19) * 0.09 / (Math.sqrt(0.5) + 1e-7);
    expect(w.data[0]).toBeCloseTo(1 - step1 - step2, 14);
  });

  it('puts beta1, beta2, epsilon and amsgrad in its config', () => {
    expect(new Adam({ beta1: 0.8, amsgrad: true }).getConfig()).toEqual({
      name: 'adam',
      learningRate: 0.001,
      beta1: 0.8,
      beta2: 0.999,
      epsilon: 1e-7,
      amsgrad: true,
      weightDecay: null,
      clipnorm: null,
      clipvalue: null,
      globalClipnorm: null,
    });
  });
});
