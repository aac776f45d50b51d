// Three-step trajectories of every optimizer and option variant (clipping, weight decay, schedules), float64 and
// float32, against hand-written scalar loops of Keras 3's formulas (keras/src/optimizers/*.py).
import { describe, expect, it } from 'vitest';
import { type DType, tensor } from '@tapegrad/tensor';
import { Variable } from '@tapegrad/autograd';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer, OptimizerOptions } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { ExponentialDecay } from './schedules.js';
import { SGD } from './sgd.js';

// ---- The problem: a 3-element variable (plus a 2-element one for globalClipnorm), fixed gradients per step. ----
const W0 = [[0.5, -1.25, 2], [1.5, -0.75]];
const GRADS = [
  [[0.3, -0.4, 0.2], [0.6, -0.1]],
  [[-0.5, 0.1, 0.25], [0.2, 0.4]],
  [[0.15, 0.35, -0.05], [-0.3, 0.05]],
];

// ---- Reference: one update per variable, written element by element from the Keras 3 formulas. ----
/** A reference update: per-variable state from `init`, then `step` with 1-based t and this step's lr. */
interface Reference {
  init(n: number): number[][];
  step(w: number[], g: number[], s: number[][], lr: number, t: number): void;
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

function sgdRef(momentum: number, nesterov: boolean): Reference {
  return {
    init: (n) => [zeros(n)],
    step(w, g, [v], lr) {
      for (let i = 0; i < w.length; i++) {
        if (momentum === 0) {
          w[i] = w[i] - lr * g[i];
          continue;
        }
        v[i] = momentum * v[i] - lr * g[i];
        w[i] = nesterov ? w[i] + momentum * v[i] - lr * g[i] : w[i] + v[i];
      }
    },
  };
}

function adamRef(beta1: number, beta2: number, epsilon: number, amsgrad: boolean): Reference {
  return {
    init: (n) => [zeros(n), zeros(n), zeros(n)],
    step(w, g, [m, v, vhat], lr, t) {
      const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      for (let i = 0; i < w.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2;
        vhat[i] = Math.max(vhat[i], v[i]);
        const den = Math.sqrt(amsgrad ? vhat[i] : v[i]) + epsilon;
        w[i] = w[i] - (alpha * m[i]) / den;
      }
    },
  };
}

function rmspropRef(rho: number, momentum: number, epsilon: number, centered: boolean): Reference {
  return {
    init: (n) => [zeros(n), zeros(n), zeros(n)],
    step(w, g, [v, a, mom], lr) {
      for (let i = 0; i < w.length; i++) {
        v[i] = rho * v[i] + (1 - rho) * g[i] ** 2;
        a[i] = rho * a[i] + (1 - rho) * g[i];
        const den = centered ? v[i] - a[i] ** 2 + epsilon : v[i] + epsilon;
        const inc = (lr * g[i]) / Math.sqrt(den);
        if (momentum > 0) {
          mom[i] = momentum * mom[i] + inc;
          w[i] = w[i] - mom[i];
        } else {
          w[i] = w[i] - inc;
        }
      }
    },
  };
}

function adagradRef(initial: number, epsilon: number): Reference {
  return {
    init: (n) => [new Array<number>(n).fill(initial)],
    step(w, g, [acc], lr) {
      for (let i = 0; i < w.length; i++) {
        acc[i] = acc[i] + g[i] ** 2;
        w[i] = w[i] - (lr * g[i]) / Math.sqrt(acc[i] + epsilon);
      }
    },
  };
}

/** The base options a variant adds, with the reference's view of them. */
interface Variant {
  name: string;
  options: (lr: number) => OptimizerOptions;
  /** The learning rate at step k (0-based: completed steps). */
  lrAt: (lr: number, k: number) => number;
  weightDecay?: number;
  clip?: (grads: number[][]) => void;
  twoVariables?: boolean;
}

const norm = (g: number[]): number => Math.sqrt(g.reduce((s, x) => s + x * x, 0));

const VARIANTS: Variant[] = [
  { name: 'plain', options: (lr) => ({ learningRate: lr }), lrAt: (lr) => lr },
  { name: 'weightDecay 0.1', options: (lr) => ({ learningRate: lr, weightDecay: 0.1 }), lrAt: (lr) => lr, weightDecay: 0.1 },
  {
    name: 'clipnorm 0.3',
    options: (lr) => ({ learningRate: lr, clipnorm: 0.3 }),
    lrAt: (lr) => lr,
    clip: (grads) => {
      for (const g of grads) {
        const n = norm(g);
        for (let i = 0; i < g.length; i++) g[i] = (g[i] * 0.3) / Math.max(n, 0.3);
      }
    },
  },
  {
    name: 'clipvalue 0.2',
    options: (lr) => ({ learningRate: lr, clipvalue: 0.2 }),
    lrAt: (lr) => lr,
    clip: (grads) => {
      for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i] > 0.2 ? 0.2 : g[i] < -0.2 ? -0.2 : g[i];
    },
  },
  {
    name: 'globalClipnorm 0.4 (two variables)',
    options: (lr) => ({ learningRate: lr, globalClipnorm: 0.4 }),
    lrAt: (lr) => lr,
    twoVariables: true,
    clip: (grads) => {
      const total = Math.sqrt(grads.reduce((s, g) => s + norm(g) ** 2, 0));
      const scale = 0.4 * Math.min(1 / total, 1 / 0.4);
      for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i] * scale;
    },
  },
  {
    name: 'ExponentialDecay',
    options: (lr) => ({ learningRate: new ExponentialDecay({ initialLearningRate: lr, decaySteps: 2, decayRate: 0.5 }) }),
    lrAt: (lr, k) => lr * 0.5 ** (k / 2),
  },
  {
    name: 'ExponentialDecay staircase',
    options: (lr) => ({ learningRate: new ExponentialDecay({ initialLearningRate: lr, decaySteps: 2, decayRate: 0.5, staircase: true }) }),
    lrAt: (lr, k) => lr * 0.5 ** Math.floor(k / 2),
  },
  { name: 'two variables', options: (lr) => ({ learningRate: lr }), lrAt: (lr) => lr, twoVariables: true },
];

/** Keras's step order, by hand: clip, weight decay (w - w·wd·lr), update with t = k + 1; three steps. */
function referenceTrajectory(ref: Reference, lr0: number, variant: Variant, weightDecay?: number): number[][][] {
  const count = variant.twoVariables ? 2 : 1;
  const ws = W0.slice(0, count).map((w) => w.slice());
  const states = ws.map((w) => ref.init(w.length));
  const out: number[][][] = [];
  const wd = weightDecay ?? variant.weightDecay;
  GRADS.forEach((step, k) => {
    const gs = step.slice(0, count).map((g) => g.slice());
    variant.clip?.(gs);
    const lr = variant.lrAt(lr0, k);
    ws.forEach((w, j) => {
      if (wd !== undefined) for (let i = 0; i < w.length; i++) w[i] = w[i] - w[i] * wd * lr;
      ref.step(w, gs[j], states[j], lr, k + 1);
    });
    out.push(ws.map((w) => w.slice()));
  });
  return out;
}

/** The optimizer's three steps on fresh variables of `dtype`. */
function trajectory(opt: Optimizer, dtype: DType, twoVariables: boolean): number[][][] {
  const count = twoVariables ? 2 : 1;
  const vars = W0.slice(0, count).map((w, j) => new Variable(tensor(w, undefined, dtype), { name: `w${j}` }));
  return GRADS.map((step) => {
    opt.applyGradients(vars.map((v, j) => [tensor(step[j], undefined, dtype), v] as const));
    return vars.map((v) => Array.from(v.data));
  });
}

function maxDiff(a: number[][][], b: number[][][]): number {
  let d = 0;
  a.forEach((step, k) => step.forEach((w, j) => w.forEach((x, i) => (d = Math.max(d, Math.abs(x - b[k][j][i]))))));
  return Number.isNaN(d) ? Infinity : d;
}

interface Case {
  name: string;
  lr: number;
  make: (options: OptimizerOptions) => Optimizer;
  ref: Reference;
  /** AdamW's own decay, which the reference applies when the variant sets none. */
  defaultDecay?: number;
}

const CASES: Case[] = [
  { name: 'SGD', lr: 0.1, make: (o) => new SGD(o), ref: sgdRef(0, false) },
  { name: 'SGD momentum 0.9', lr: 0.1, make: (o) => new SGD({ ...o, momentum: 0.9 }), ref: sgdRef(0.9, false) },
  { name: 'SGD nesterov', lr: 0.1, make: (o) => new SGD({ ...o, momentum: 0.9, nesterov: true }), ref: sgdRef(0.9, true) },
  { name: 'Adam', lr: 0.05, make: (o) => new Adam(o), ref: adamRef(0.9, 0.999, 1e-7, false) },
  { name: 'Adam epsilon 0.01', lr: 0.05, make: (o) => new Adam({ ...o, epsilon: 0.01 }), ref: adamRef(0.9, 0.999, 0.01, false) },
  {
    name: 'Adam amsgrad (beta2 0.6)',
    lr: 0.05,
    make: (o) => new Adam({ ...o, beta1: 0.8, beta2: 0.6, amsgrad: true }),
    ref: adamRef(0.8, 0.6, 1e-7, true),
  },
  { name: 'AdamW', lr: 0.05, make: (o) => new AdamW(o), ref: adamRef(0.9, 0.999, 1e-7, false), defaultDecay: 0.004 },
  { name: 'RMSprop', lr: 0.01, make: (o) => new RMSprop(o), ref: rmspropRef(0.9, 0, 1e-7, false) },
  { name: 'RMSprop centered', lr: 0.01, make: (o) => new RMSprop({ ...o, centered: true }), ref: rmspropRef(0.9, 0, 1e-7, true) },
  { name: 'RMSprop momentum 0.8', lr: 0.01, make: (o) => new RMSprop({ ...o, momentum: 0.8 }), ref: rmspropRef(0.9, 0.8, 1e-7, false) },
  {
    name: 'RMSprop centered momentum rho 0.5 epsilon 1e-3',
    lr: 0.01,
    make: (o) => new RMSprop({ ...o, rho: 0.5, momentum: 0.5, epsilon: 1e-3, centered: true }),
    ref: rmspropRef(0.5, 0.5, 1e-3, true),
  },
  { name: 'Adagrad', lr: 0.1, make: (o) => new Adagrad(o), ref: adagradRef(0.1, 1e-7) },
  {
    name: 'Adagrad initialAccumulatorValue 0.5 epsilon 1e-3',
    lr: 0.1,
    make: (o) => new Adagrad({ ...o, initialAccumulatorValue: 0.5, epsilon: 1e-3 }),
    ref: adagradRef(0.5, 1e-3),
  },
];

for (const c of CASES) {
  describe(c.name, () => {
    for (const variant of VARIANTS) {
      const expected = referenceTrajectory(c.ref, c.lr, variant, variant.weightDecay ?? c.defaultDecay);
      it(`${variant.name}: float64 to 1e-12`, () => {
        const got = trajectory(c.make(variant.options(c.lr)), 'float64', variant.twoVariables ?? false);
        expect(maxDiff(got, expected)).toBeLessThan(1e-12);
      });
      it(`${variant.name}: float32 to 1e-6`, () => {
        const got = trajectory(c.make(variant.options(c.lr)), 'float32', variant.twoVariables ?? false);
        expect(maxDiff(got, expected)).toBeLessThan(1e-6);
      });
    }
  });
}

describe('the variants change the trajectory', () => {
  // Guards against a variant that the problem does not exercise (e.g. a clip threshold above every gradient).
  it('each variant, and each option, moves SGD momentum or Adam away from the plain run', () => {
    const plainOne = referenceTrajectory(sgdRef(0.9, false), 0.1, VARIANTS[0]);
    const plainTwo = referenceTrajectory(sgdRef(0.9, false), 0.1, VARIANTS[VARIANTS.length - 1]);
    for (const variant of VARIANTS.slice(1, -1)) {
      const plain = variant.twoVariables ? plainTwo : plainOne;
      expect(maxDiff(referenceTrajectory(sgdRef(0.9, false), 0.1, variant), plain), variant.name).toBeGreaterThan(1e-4);
    }
    const adam = referenceTrajectory(adamRef(0.8, 0.6, 1e-7, false), 0.05, VARIANTS[0]);
    const ams = referenceTrajectory(adamRef(0.8, 0.6, 1e-7, true), 0.05, VARIANTS[0]);
    expect(maxDiff(ams, adam)).toBeGreaterThan(1e-4);
    const rms = referenceTrajectory(rmspropRef(0.9, 0, 1e-7, false), 0.01, VARIANTS[0]);
    expect(maxDiff(referenceTrajectory(rmspropRef(0.9, 0, 1e-7, true), 0.01, VARIANTS[0]), rms)).toBeGreaterThan(1e-4);
  });
});
