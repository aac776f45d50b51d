// Tests of the base Optimizer's contract through the concrete optimizers: iterations, the learning-rate property,
// option checks, null gradients, weight-decay exclusion and saving/restoring the state mid-trajectory.
import { describe, expect, it } from 'vitest';
import { tensor } from '@tapegrad/tensor';
import { Variable } from '@tapegrad/autograd';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { ExponentialDecay } from './schedules.js';
import { SGD } from './sgd.js';

const f64 = (values: number[]): Variable => new Variable(tensor(values, undefined, 'float64'));
const g64 = (values: number[]) => tensor(values, undefined, 'float64');
const GRADS = [[0.3, -0.4, 0.2], [-0.5, 0.1, 0.25], [0.15, 0.35, -0.05], [0.2, -0.1, 0.4]];

describe('iterations and the learning rate', () => {
  it('counts one iteration per applyGradients call', () => {
    const opt = new SGD();
    const w = f64([1, 2, 3]);
    expect(opt.iterations).toBe(0);
    opt.applyGradients([[g64([1, 1, 1]), w]]);
    opt.applyGradients([[g64([1, 1, 1]), w]]);
    expect(opt.iterations).toBe(2);
  });

  it('gets and sets a constant learning rate, refusing negative ones', () => {
    const opt = new Adam();
    expect(opt.learningRate).toBe(0.001);
    opt.learningRate = 0.5;
    expect(opt.learningRate).toBe(0.5);
    expect(opt.getConfig().learningRate).toBe(0.5);
    expect(() => (opt.learningRate = -1)).toThrow(/non-negative/);
    expect(() => new SGD({ learningRate: -0.1 })).toThrow(/non-negative/);
  });

  it('uses the new learning rate from the next step on', () => {
    const opt = new SGD({ learningRate: 0.1 });
    const w = f64([1, 1, 1]);
    opt.applyGradients([[g64([1, 2, 3]), w]]);
    opt.learningRate = 0.01;
    opt.applyGradients([[g64([1, 2, 3]), w]]);
    expect(Array.from(w.data)).toEqual([1 - 0.1 - 0.01, 1 - 0.2 - 0.02, 1 - 0.3 - 0.03].map((x) => expect.closeTo(x, 15)));
  });

  it('evaluates a schedule at the number of completed steps, and refuses to set it', () => {
    const schedule = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    const opt = new RMSprop({ learningRate: schedule });
    expect(opt.learningRate).toBe(0.1);
    expect(opt.learningRateSetting).toBe(schedule);
    opt.applyGradients([[g64([1, 1, 1]), f64([0, 0, 0])]]);
    expect(opt.learningRate).toBe(0.05);
    expect(() => (opt.learningRate = 0.01)).toThrow(/schedule and cannot be set/);
  });

  it('calls a learning-rate function at every step (Keras callable), refuses to set or save it, and checks its value', () => {
    let lr = 0.1;
    const opt = new SGD({ learningRate: () => lr });
    const w = f64([1, 1, 1]);
    opt.applyGradients([[g64([1, 2, 3]), w]]);
    lr = 0.01;
    opt.applyGradients([[g64([1, 2, 3]), w]]);
    expect(Array.from(w.data)).toEqual([1 - 0.1 - 0.01, 1 - 0.2 - 0.02, 1 - 0.3 - 0.03].map((x) => expect.closeTo(x, 15)));
    expect(() => (opt.learningRate = 0.5)).toThrow(/function and cannot be set/);
    expect(() => opt.getConfig()).toThrow(/a learning rate given as a function cannot be saved/);
    lr = Number.NaN;
    expect(() => opt.applyGradients([[g64([1, 2, 3]), w]])).toThrow(/the learning-rate function returned NaN; expected a non-negative number/);
    expect(() => new SGD({ learningRate: '0.1' as unknown as number })).toThrow(/learningRate must be a number, a schedule or a function/);
  });
});

describe('option checks', () => {
  const makers: [string, (o: object) => Optimizer][] = [
    ['SGD', (o) => new SGD(o)],
    ['Adam', (o) => new Adam(o)],
    ['AdamW', (o) => new AdamW(o)],
    ['RMSprop', (o) => new RMSprop(o)],
    ['Adagrad', (o) => new Adagrad(o)],
  ];

  for (const [name, make] of makers) {
    it(`${name} refuses lr= as Keras 3 does, naming it and the Keras 3 spelling`, () => {
      expect(() => make({ lr: 0.01 })).toThrow(`${name}: argument(s) not recognized: lr (Keras 3 spells it 'learningRate')`);
      expect(() => make({ decay: 0.1, learningRate: 0.1 })).toThrow(/argument\(s\) not recognized: decay/);
    });

    it(`${name} refuses two clipping options together`, () => {
      expect(() => make({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and globalClipnorm/);
      expect(() => make({ clipnorm: 1, globalClipnorm: 1 })).toThrow(/only one of/);
      expect(() => make({ clipvalue: 1, globalClipnorm: 1 })).toThrow(/only one of/);
      expect(() => make({ clipnorm: 1, clipvalue: null })).not.toThrow();
    });
  }

  it("does not accept another optimizer's options", () => {
    expect(() => new SGD({ beta1: 0.9 } as never)).toThrow(/not recognized: beta1/);
    expect(() => new Adagrad({ momentum: 0.9 } as never)).toThrow(/not recognized: momentum/);
    expect(() => new Adam({ centered: true } as never)).toThrow(/not recognized: centered/);
  });
});

describe('applyGradients', () => {
  it('skips a variable whose gradient is null: no update, no decay, no slots', () => {
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.5 });
    const a = f64([1, 2, 3]);
    const b = f64([1, 2, 3]);
    const version = a.version;
    opt.applyGradients([
      [null, a],
      [g64([0.1, 0.2, 0.3]), b],
    ]);
    expect(Array.from(a.data)).toEqual([1, 2, 3]);
    expect(a.version).toBe(version);
    expect(opt.getSlot(a, 'momentum')).toBeUndefined();
    expect(opt.variables).toEqual([b]);
    expect(Array.from(b.data)).not.toEqual([1, 2, 3]);
    expect(opt.iterations).toBe(1);
  });

  it('treats an empty list as no step and refuses a list whose gradients are all null, as Keras 3 does', () => {
    const opt = new SGD();
    opt.applyGradients([]);
    expect(opt.iterations).toBe(0);
    const w = new Variable(tensor([1, 2, 3], undefined, 'float64'), { name: 'kernel' });
    expect(() => opt.applyGradients([[null, w]])).toThrow("SGD: no gradients provided for any variable ('kernel')");
    expect(opt.iterations).toBe(0);
  });

  it('clips nothing for a clipping threshold of 0, as Keras (which tests `clipnorm and clipnorm > 0`)', () => {
    for (const options of [{ clipnorm: 0 }, { clipvalue: 0 }, { globalClipnorm: 0 }]) {
      const w = f64([1, 2, 3]);
      new SGD({ learningRate: 0.1, ...options }).applyGradients([[g64([10, -10, 1]), w]]);
      expect(Array.from(w.data), JSON.stringify(options)).toEqual([0, 3, 2.9]);
    }
  });

  it('marks each updated variable as changed', () => {
    const w = f64([1, 2, 3]);
    const before = w.version;
    new Adagrad().applyGradients([[g64([1, 1, 1]), w]]);
    expect(w.version).toBe(before + 1);
  });

  it('names the variable when a gradient has the wrong size', () => {
    const w = new Variable(tensor([1, 2, 3], undefined, 'float64'), { name: 'kernel' });
    expect(() => new SGD().applyGradients([[g64([1, 2]), w]])).toThrow(/'kernel' has 2 elements, the variable 3/);
  });

  it('leaves a variable excluded from weight decay undecayed', () => {
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.5 });
    const kernel = f64([1, 2, 3]);
    const bias = f64([1, 2, 3]);
    opt.excludeFromWeightDecay(bias);
    const zero = g64([0, 0, 0]); // Adam's step is 0 for a zero gradient: only the decay shows
    opt.applyGradients([
      [zero, kernel],
      [zero, bias],
    ]);
    expect(Array.from(kernel.data)).toEqual([1, 2, 3].map((w) => w - w * 0.5 * 0.1).map((x) => expect.closeTo(x, 15)));
    expect(Array.from(bias.data)).toEqual([1, 2, 3]);
  });
});

describe('getState / setState', () => {
  const cases: [string, () => Optimizer][] = [
    ['SGD nesterov', () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
    ['Adam amsgrad with a schedule', () => new Adam({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.9 }), amsgrad: true, beta2: 0.6 })],
    ['RMSprop centered momentum', () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 })],
    ['Adagrad', () => new Adagrad({ learningRate: 0.1 })],
  ];

  for (const [name, make] of cases) {
    it(`${name}: a restored optimizer continues the same trajectory`, () => {
      const first = make();
      const w = f64([0.5, -1.25, 2]);
      for (const g of GRADS.slice(0, 2)) first.applyGradients([[g64(g), w]]);
      const state = first.getState([w]);
      const saved = Array.from(w.data);
      for (const g of GRADS.slice(2)) first.applyGradients([[g64(g), w]]);

      const second = make();
      const w2 = f64(saved);
      second.setState([w2], state);
      expect(second.iterations).toBe(2);
      for (const g of GRADS.slice(2)) second.applyGradients([[g64(g), w2]]);
      expect(Array.from(w2.data)).toEqual(Array.from(w.data));
      expect(second.iterations).toBe(4);
      for (const slot of first.slotNames) expect(Array.from(second.getSlot(w2, slot)!)).toEqual(Array.from(first.getSlot(w, slot)!));
    });
  }

  it('saves copies, not the live slots', () => {
    const opt = new Adagrad();
    const w = f64([1, 2, 3]);
    opt.applyGradients([[g64([1, 1, 1]), w]]);
    const state = opt.getState([w]);
    opt.applyGradients([[g64([1, 1, 1]), w]]);
    expect(Array.from(state.slots[0].accumulator)).toEqual([1.1, 1.1, 1.1]);
  });

  it('refuses a saved slot of the wrong size', () => {
    const opt = new Adam();
    expect(() => opt.setState([f64([1, 2, 3])], { iterations: 1, slots: [{ momentum: new Float64Array(2) }] })).toThrow(/saved slot 'momentum'.* has 2 values, expected 3/);
  });
});
