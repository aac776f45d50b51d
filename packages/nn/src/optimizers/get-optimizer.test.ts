// Tests of getOptimizer: string identifiers, instances, and configs rebuilt (schedules included) to the same trajectory.
import { describe, expect, it } from 'vitest';
import { tensor } from '@tapegrad/tensor';
import { Variable } from '@tapegrad/autograd';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { getOptimizer } from './get-optimizer.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { ExponentialDecay } from './schedules.js';
import { SGD } from './sgd.js';

const GRADS = [[0.3, -0.4, 0.2], [-0.5, 0.1, 0.25], [0.15, 0.35, -0.05]];

function run(opt: Optimizer): number[] {
  const w = new Variable(tensor([0.5, -1.25, 2], undefined, 'float64'));
  for (const g of GRADS) opt.applyGradients([[tensor(g, undefined, 'float64'), w]]);
  return Array.from(w.data);
}

const classNameOf = (opt: Optimizer): string => (opt.constructor as unknown as { className: string }).className;

describe('getOptimizer', () => {
  it('resolves Keras names in snake_case, camelCase and any letter case to default instances', () => {
    const cases: [string, abstract new (...args: never[]) => Optimizer][] = [
      ['sgd', SGD], ['SGD', SGD],
      ['adam', Adam], ['Adam', Adam], ['ADAM', Adam],
      ['adamw', AdamW], ['AdamW', AdamW], ['adam_w', AdamW],
      ['rmsprop', RMSprop], ['RMSprop', RMSprop], ['rms_prop', RMSprop],
      ['adagrad', Adagrad], ['Adagrad', Adagrad],
    ];
    for (const [name, cls] of cases) {
      const opt = getOptimizer(name);
      expect(opt.constructor, name).toBe(cls);
      expect(opt.iterations).toBe(0);
    }
    expect(getOptimizer('rmsprop').getConfig()).toEqual(new RMSprop().getConfig());
    expect(getOptimizer('adamw').weightDecay).toBe(0.004);
  });

  it('gives a new optimizer for each call', () => {
    expect(getOptimizer('adam')).not.toBe(getOptimizer('adam'));
  });

  it('lists the valid names for an unknown one', () => {
    expect(() => getOptimizer('adamax')).toThrow(
      "Unknown optimizer 'adamax'. Valid optimizers: 'adagrad', 'adam', 'adamw', 'rmsprop', 'sgd' (snake_case or camelCase)",
    );
    expect(() => getOptimizer({ className: 'Nadam', config: {} })).toThrow(/Unknown optimizer 'Nadam'/);
  });

  it('returns an Optimizer as is', () => {
    const opt = new SGD({ momentum: 0.5 });
    expect(getOptimizer(opt)).toBe(opt);
  });

  it('rejects what is neither a name, an optimizer nor a config', () => {
    expect(() => getOptimizer(3 as never)).toThrow(/expected a name, an Optimizer or \{ className, config \}/);
    expect(() => getOptimizer(null as never)).toThrow(/expected a name/);
  });

  const configured: [string, () => Optimizer][] = [
    ['SGD nesterov clipnorm', () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true, clipnorm: 0.3, name: 'mine' })],
    ['Adam amsgrad staircase schedule', () => new Adam({
      learningRate: new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5, staircase: true }),
      beta1: 0.8, beta2: 0.6, epsilon: 1e-3, amsgrad: true, clipvalue: 0.2,
    })],
    ['AdamW weight decay schedule', () => new AdamW({
      learningRate: new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 1, decayRate: 0.9 }),
      weightDecay: 0.1,
    })],
    ['RMSprop centered momentum', () => new RMSprop({ learningRate: 0.01, rho: 0.5, momentum: 0.5, centered: true, globalClipnorm: 0.4 })],
    ['Adagrad', () => new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.5, epsilon: 1e-3, weightDecay: 0.01 })],
  ];

  for (const [name, make] of configured) {
    it(`${name}: rebuilds from { className, getConfig() } through JSON, to the same trajectory`, () => {
      const original = make();
      const saved = JSON.parse(JSON.stringify({ className: classNameOf(original), config: original.getConfig() }));
      const copy = getOptimizer(saved);
      expect(copy.constructor).toBe(original.constructor);
      expect(copy.getConfig()).toEqual(original.getConfig());
      expect(run(copy)).toEqual(run(original));
    });
  }

  it('rebuilds an ExponentialDecay learning rate as a schedule', () => {
    const config = new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }) }).getConfig();
    expect(config.learningRate).toEqual({
      className: 'ExponentialDecay',
      config: { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true },
    });
    const lr = getOptimizer({ className: 'SGD', config }).learningRateSetting;
    expect(lr).toBeInstanceOf(ExponentialDecay);
    expect((lr as ExponentialDecay).staircase).toBe(true);
    expect((lr as ExponentialDecay).call(25)).toBe(0.025);
  });

  it('refuses an unknown schedule and a malformed learning rate', () => {
    expect(() => getOptimizer({ className: 'SGD', config: { learningRate: { className: 'CosineDecay', config: {} } } })).toThrow(
      /Unknown learning rate schedule 'CosineDecay'. Valid learning rate schedules: 'ExponentialDecay'/,
    );
    expect(() => getOptimizer({ className: 'SGD', config: { learningRate: { initialLearningRate: 0.1 } } })).toThrow(
      /a learningRate object must be a schedule config/,
    );
  });

  it('refuses options the class does not take, such as lr', () => {
    expect(() => getOptimizer({ className: 'Adam', config: { lr: 0.01 } })).toThrow('Adam: argument(s) not recognized: lr');
    expect(() => getOptimizer({ className: 'SGD', config: { amsgrad: true } })).toThrow(/not recognized: amsgrad/);
  });
});
