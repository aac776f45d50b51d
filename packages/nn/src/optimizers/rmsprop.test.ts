// Tests of RMSprop: defaults, which slots exist for which options, hand-worked steps (plain, centered, momentum), config.
import { describe, expect, it } from 'vitest';
import { type DType, tensor } from '@tapegrad/tensor';
import { Variable } from '@tapegrad/autograd';
import { RMSprop } from './rmsprop.js';

const variable = (values: number[], dtype: DType = 'float64'): Variable => new Variable(tensor(values, undefined, dtype));
const grad = (values: number[]) => tensor(values, undefined, 'float64');
const values = (a: ArrayLike<number> | undefined): number[] => Array.from(a ?? []);

describe('RMSprop', () => {
  it("has Keras 3's defaults and name", () => {
    const opt = new RMSprop();
    expect(RMSprop.className).toBe('RMSprop');
    expect(opt.name).toBe('rmsprop');
    expect(opt.learningRate).toBe(0.001);
    expect([opt.rho, opt.momentum, opt.epsilon, opt.centered]).toEqual([0.9, 0, 1e-7, false]);
  });

  it("makes 'velocity', plus 'momentum' when momentum > 0 and 'average_gradient' when centered, all zero", () => {
    const w = variable([1, 2, 3], 'float32');
    const names = (opt: RMSprop): string[] => {
      opt.setState([w], { iterations: 0, slots: [{}] });
      for (const name of opt.slotNames) expect(opt.getSlot(w, name)).toEqual(new Float32Array(3));
      return opt.slotNames;
    };
    expect(names(new RMSprop())).toEqual(['velocity']);
    expect(names(new RMSprop({ momentum: 0.5 }))).toEqual(['velocity', 'momentum']);
    expect(names(new RMSprop({ centered: true }))).toEqual(['velocity', 'average_gradient']);
    expect(names(new RMSprop({ momentum: 0.5, centered: true }))).toEqual(['velocity', 'momentum', 'average_gradient']);
  });

  it('one plain step: v = 0.1·g², w ← w - lr·g/sqrt(v + ε)', () => {
    const opt = new RMSprop({ learningRate: 0.01 });
    const w = variable([1, 2]);
    opt.applyGradients([[grad([0.5, -1]), w]]);
    expect(values(opt.getSlot(w, 'velocity'))).toEqual([expect.closeTo(0.025, 15), expect.closeTo(0.1, 15)]);
    expect(w.data[0]).toBeCloseTo(1 - 0.005 / Math.sqrt(0.025 + 1e-7), 14);
    expect(w.data[1]).toBeCloseTo(2 + 0.01 / Math.sqrt(0.1 + 1e-7), 14);
  });

  it('one centered step: a = 0.1·g, w ← w - lr·g/sqrt(v - a² + ε)', () => {
    const opt = new RMSprop({ learningRate: 0.01, centered: true });
    const w = variable([1, 2]);
    opt.applyGradients([[grad([0.5, -1]), w]]);
    expect(values(opt.getSlot(w, 'average_gradient'))).toEqual([expect.closeTo(0.05, 15), expect.closeTo(-0.1, 15)]);
    expect(w.data[0]).toBeCloseTo(1 - 0.005 / Math.sqrt(0.025 - 0.0025 + 1e-7), 14);
    expect(w.data[1]).toBeCloseTo(2 + 0.01 / Math.sqrt(0.1 - 0.01 + 1e-7), 14);
  });

  it('two momentum steps: mom = μ·mom + lr·g/sqrt(v + ε), w ← w - mom', () => {
    const opt = new RMSprop({ learningRate: 0.01, momentum: 0.5 });
    const w = variable([1]);
    opt.applyGradients([[grad([1]), w]]);
    opt.applyGradients([[grad([1]), w]]);
    const inc1 = 0.01 / Math.sqrt(0.1 + 1e-7);
    const inc2 = 0.01 / Math.sqrt(0.19 + 1e-7); // v = 0.9·0.1 + 0.1
    expect(opt.getSlot(w, 'momentum')![0]).toBeCloseTo(0.5 * inc1 + inc2, 15);
    expect(w.data[0]).toBeCloseTo(1 - inc1 - (0.5 * inc1 + inc2), 15);
  });

  it('puts rho, momentum, epsilon and centered in its config', () => {
    expect(new RMSprop({ rho: 0.8, centered: true, globalClipnorm: 2 }).getConfig()).toEqual({
      name: 'rmsprop',
      learningRate: 0.001,
      rho: 0.8,
      momentum: 0,
      epsilon: 1e-7,
      centered: true,
      weightDecay: null,
      clipnorm: null,
      clipvalue: null,
      globalClipnorm: 2,
    });
  });
});
