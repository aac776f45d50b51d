// Tests of AdamW: its default weight decay, Keras's refusal of a null one, the decay before Adam's step, config.
import { describe, expect, it } from 'vitest';
import { tensor } from '@tapegrad/tensor';
import { Variable } from '@tapegrad/autograd';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';

describe('AdamW', () => {
  it("has Keras 3's defaults and name, and is an Adam", () => {
    const opt = new AdamW();
    expect(AdamW.className).toBe('AdamW');
    expect(opt.name).toBe('adamw');
    expect(opt).toBeInstanceOf(Adam);
    expect(opt.weightDecay).toBe(0.004);
    expect(opt.learningRate).toBe(0.001);
    expect([opt.beta1, opt.beta2, opt.epsilon, opt.amsgrad]).toEqual([0.9, 0.999, 1e-7, false]);
  });

  it('refuses a null weight decay, as Keras does for None', () => {
    expect(() => new AdamW({ weightDecay: null })).toThrow('AdamW: weightDecay must be a number, got null');
    expect(new AdamW({ weightDecay: 0 }).weightDecay).toBe(0);
  });

  it('decays w ← w - w·weightDecay·lr before the (here zero) Adam step', () => {
    const opt = new AdamW({ learningRate: 0.5 });
    const w = new Variable(tensor([1, -2, 4], undefined, 'float64'));
    opt.applyGradients([[tensor([0, 0, 0], undefined, 'float64'), w]]);
    expect(Array.from(w.data)).toEqual([1, -2, 4].map((x) => expect.closeTo(x - x * 0.004 * 0.5, 15)));
  });

  it('names the errors and defaults after AdamW', () => {
    expect(() => new AdamW({ lr: 0.1 } as never)).toThrow(/^AdamW: argument\(s\) not recognized: lr/);
    expect(new AdamW().getConfig()).toMatchObject({ name: 'adamw', weightDecay: 0.004, beta1: 0.9, amsgrad: false });
  });
});
