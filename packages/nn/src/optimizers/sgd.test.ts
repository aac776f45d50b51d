// Tests of SGD: defaults, the 'momentum' slot, one hand-worked step with and without Nesterov, options and config.
import { describe, expect, it } from 'vitest';
import { type DType, tensor } from '@tapegrad/tensor';
import { Variable } from '@tapegrad/autograd';
import { SGD } from './sgd.js';

const variable = (values: number[], dtype: DType = 'float64'): Variable => new Variable(tensor(values, undefined, dtype));
const grad = (values: number[], dtype: DType = 'float64') => tensor(values, undefined, dtype);
const values = (a: ArrayLike<number> | undefined): number[] => Array.from(a ?? []);

describe('SGD', () => {
  it("has Keras 3's defaults and name", () => {
    const opt = new SGD();
    expect(SGD.className).toBe('SGD');
    expect(opt.name).toBe('SGD');
    expect(opt.learningRate).toBe(0.01);
    expect(opt.momentum).toBe(0);
    expect(opt.nesterov).toBe(false);
    expect(opt.weightDecay).toBeNull();
    expect(new SGD({ name: 'mine' }).name).toBe('mine');
  });

  it('keeps no slot without momentum: w ← w - lr·g', () => {
    const opt = new SGD({ learningRate: 0.1 });
    const w = variable([1, 2]);
    opt.applyGradients([[grad([0.5, -1]), w]]);
    expect(opt.slotNames).toEqual([]);
    expect(opt.getSlot(w, 'momentum')).toBeUndefined();
    expect(values(w.data)).toEqual([1 - 0.05, 2 + 0.1]);
  });

  it("makes a zero 'momentum' slot of the variable's dtype when momentum ≠ 0", () => {
    const opt = new SGD({ momentum: 0.9 });
    const w64 = variable([1, 2, 3]);
    const w32 = variable([1, 2, 3], 'float32');
    opt.setState([w64, w32], { iterations: 0, slots: [{}, {}] }); // builds the slots without a step
    expect(opt.slotNames).toEqual(['momentum']);
    expect(opt.getSlot(w64, 'momentum')).toEqual(new Float64Array(3));
    expect(opt.getSlot(w32, 'momentum')).toEqual(new Float32Array(3));
  });

  it('one momentum step: v = μ·v - lr·g, w ← w + v', () => {
    const opt = new SGD({ learningRate: 0.1, momentum: 0.9 });
    const w = variable([1, 2]);
    opt.applyGradients([[grad([0.5, -1]), w]]);
    expect(values(opt.getSlot(w, 'momentum'))).toEqual([-0.05, 0.1]);
    expect(values(w.data)).toEqual([0.95, 2.1]);
    opt.applyGradients([[grad([0.5, -1]), w]]);
    // v = 0.9·(-0.05) - 0.05 = -0.095; w = 0.95 - 0.095
    expect(values(opt.getSlot(w, 'momentum'))).toEqual([expect.closeTo(-0.095, 15), expect.closeTo(0.19, 15)]);
    expect(values(w.data)).toEqual([expect.closeTo(0.855, 15), expect.closeTo(2.29, 15)]);
    expect(opt.iterations).toBe(2);
  });

  it('one Nesterov step: w ← w + μ·v - lr·g with the new v', () => {
    const opt = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
    const w = variable([1, 2]);
    opt.applyGradients([[grad([0.5, -1]), w]]);
    // v = [-0.05, 0.1]; w += 0.9·v - 0.1·g = [-0.095, 0.19]
    expect(values(w.data)).toEqual([expect.closeTo(0.905, 15), expect.closeTo(2.19, 15)]);
  });

  it('refuses a momentum outside [0, 1], as Keras does', () => {
    expect(() => new SGD({ momentum: -0.1 })).toThrow('SGD: momentum must be a number in [0, 1], got -0.1');
    expect(() => new SGD({ momentum: 1.5 })).toThrow(/\[0, 1\]/);
    expect(new SGD({ momentum: 1 }).momentum).toBe(1);
  });

  it('puts momentum and nesterov in its config', () => {
    expect(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true, clipnorm: 1 }).getConfig()).toEqual({
      name: 'SGD',
      learningRate: 0.1,
      momentum: 0.9,
      nesterov: true,
      weightDecay: null,
      clipnorm: 1,
      clipvalue: null,
      globalClipnorm: null,
    });
  });
});
