// Tests of Dense against Keras 3's contract (KERAS_SEMANTICS.md sections 2-4): weights, initializers, outputs by hand for
// each activation, rank-3 inputs, config round trip, gradients, regularizers, constraints and errors.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, Random, type Tensor, setSeed, tensor } from '@tapegrad/tensor';
import { GradientTape, grad, gradCheck, mul, sum } from '@tapegrad/autograd';
import type { LayerConfig } from '../layer.js';
import { Sequential } from '../models/sequential.js';
import { SGD } from '../optimizers/sgd.js';
import { L1, L2 } from '../regularizers.js';
import { denseRef, expectClose, f64, sampleStats } from '../test-utils.js';
import { Dense, type DenseOptions } from './dense.js';

afterEach(() => setSeed(DEFAULT_SEED));

// Hand-picked weights for a 3 → 2 layer, and inputs whose pre-activations cover both signs.
const X = [[0.5, -1, 2], [-1.5, 0.25, -0.75], [1, 1, 1]];
const KERNEL = [[0.2, -0.4], [0.6, 0.1], [-0.3, 0.5]];
const BIAS = [0.1, -0.2];

/** Keras's activations that Dense accepts by name: the fused ones, sigmoid/softmax (logit-tracking) and the others. */
const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'gelu', 'selu', 'softplus', 'leaky_relu', 'hard_sigmoid', 'swish'];

/** A float64 Dense 3 → 2 with KERNEL and BIAS. */
function handLayer(options: DenseOptions = {}): Dense {
  const layer = new Dense(2, { dtype: 'float64', ...options });
  layer.buildFor([null, 3]);
  layer.setWeights(options.useBias === false ? [f64(KERNEL)] : [f64(KERNEL), f64(BIAS)]);
  return layer;
}

/** Seeded float64 values in [lo, hi). */
function uniform(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const rng = new Random(seed);
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rng.uniform();
  return tensor(data, shape);
}

describe('Dense weights (Keras contract)', () => {
  it('kernel [in, units] then bias [units], both trainable, named <layer>/kernel and <layer>/bias', () => {
    const layer = new Dense(5, { name: 'my_dense' });
    expect(layer.built).toBe(false);
    expect(layer.weights).toEqual([]);
    layer.buildFor([null, 3]);
    expect(layer.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ['my_dense/kernel', [3, 5], true],
      ['my_dense/bias', [5], true],
    ]);
    expect(layer.trainableWeights).toEqual(layer.weights);
    expect(layer.nonTrainableWeights).toEqual([]);
    expect(layer.countParams()).toBe(3 * 5 + 5);
    expect(layer.kernel).toBe(layer.weights[0]);
    expect(layer.bias).toBe(layer.weights[1]);
  });

  it('builds on its first input', () => {
    const layer = new Dense(4);
    const y = layer.apply(tensor([[1, 2], [3, 4], [5, 6]]));
    expect(y.shape).toEqual([3, 4]);
    expect(layer.built).toBe(true);
    expect(layer.kernel.shape).toEqual([2, 4]);
  });

  it('trainable: false keeps the weights (same order) but none is trainable', () => {
    const layer = new Dense(2, { trainable: false });
    layer.buildFor([null, 3]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[3, 2], [2]]);
    expect(layer.trainableWeights).toEqual([]);
    expect(layer.nonTrainableWeights).toEqual(layer.weights);
  });

  it('default kernel initializer glorot_uniform: U(±√(6/(in+units))); bias zeros', () => {
    const layer = new Dense(200, { dtype: 'float64' });
    layer.buildFor([null, 300]);
    const s = sampleStats(layer.kernel.toTypedArray());
    const limit = Math.sqrt(6 / (300 + 200));
    expect(s.maxAbs).toBeLessThanOrEqual(limit);
    expect(s.maxAbs).toBeGreaterThan(0.999 * limit);
    expect(s.std / (limit / Math.sqrt(3))).toBeCloseTo(1, 2);
    expect(Math.abs(s.mean)).toBeLessThan(0.02 * s.std);
    expect(Array.from(layer.bias!.toTypedArray())).toEqual(new Array(200).fill(0));
  });

  it('setSeed makes the initial weights reproducible', () => {
    const make = (): number[] => {
      const layer = new Dense(6);
      layer.buildFor([null, 4]);
      return Array.from(layer.kernel.toTypedArray());
    };
    setSeed(21);
    const a = make();
    const a2 = make();
    setSeed(21);
    expect(make()).toEqual(a);
    expect(make()).toEqual(a2);
    expect(a2).not.toEqual(a);
  });

  it('kernelInitializer and biasInitializer are honoured', () => {
    const layer = new Dense(3, { kernelInitializer: 'ones', biasInitializer: { className: 'Constant', config: { value: 0.5 } } });
    layer.buildFor([null, 2]);
    expect(layer.kernel.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(layer.bias!.toArray()).toEqual([0.5, 0.5, 0.5]);
  });
});

describe('Dense outputs by hand: y = act(x·kernel + bias)', () => {
  it.each(ACTIVATIONS)('%s (float64)', (activation) => {
    const y = handLayer({ activation }).apply(f64(X));
    expect(y.dtype).toBe('float64');
    expectClose(y, denseRef(X, KERNEL, BIAS, activation), 1e-14);
  });

  it.each(['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'gelu'])('%s (float32)', (activation) => {
    const layer = new Dense(2, { activation });
    layer.buildFor([null, 3]);
    layer.setWeights([tensor(KERNEL), tensor(BIAS)]);
    const y = layer.apply(tensor(X));
    expect(y.dtype).toBe('float32');
    expectClose(y, denseRef(X, KERNEL, BIAS, activation), 1e-6);
  });

  it('no activation is linear', () => {
    expectClose(handLayer().apply(f64(X)), denseRef(X, KERNEL, BIAS, 'linear'), 1e-15);
  });

  it('a function activation is applied after x·kernel + bias', () => {
    const y = handLayer({ activation: (t: Tensor) => mul(t, 3) }).apply(f64(X));
    expectClose(y, denseRef(X, KERNEL, BIAS, 'linear').map((r) => r.map((v) => 3 * v)), 1e-15);
  });

  it.each(['linear', 'relu', 'softmax', 'elu'])('useBias: false → act(x·kernel), one weight (%s)', (activation) => {
    const layer = handLayer({ useBias: false, activation });
    expect(layer.weights.map((w) => w.name.split('/')[1])).toEqual(['kernel']);
    expect(layer.bias).toBeNull();
    expect(layer.countParams()).toBe(6);
    expectClose(layer.apply(f64(X)), denseRef(X, KERNEL, null, activation), 1e-14);
  });

  it.each(['linear', 'relu', 'softmax', 'gelu'])('rank-3 input [2, 3, 3]: applied on the last axis (%s)', (activation) => {
    const x3 = [X, [[0, 0, 0], [2, -2, 0.5], [-0.1, 0.3, 0.9]]];
    const y = handLayer({ activation }).apply(f64(x3));
    expect(y.shape).toEqual([2, 3, 2]);
    expectClose(y, x3.map((m) => denseRef(m, KERNEL, BIAS, activation)), 1e-14);
  });

  it('rank-4 input [2, 1, 2, 3]', () => {
    const x4 = [[X.slice(0, 2)], [X.slice(1, 3)]];
    const y = handLayer({ activation: 'tanh' }).apply(f64(x4));
    expect(y.shape).toEqual([2, 1, 2, 2]);
    expectClose(y, x4.map((a) => a.map((m) => denseRef(m, KERNEL, BIAS, 'tanh'))), 1e-14);
  });
});

describe('Dense shapes and config', () => {
  it('inputDim is the same as inputShape: [inputDim]; a Sequential builds at once', () => {
    const a = new Dense(4, { inputDim: 3 });
    const b = new Dense(4, { inputShape: [3] });
    expect(a.inputShape).toEqual([3]);
    expect(a.getConfig().inputShape).toEqual(b.getConfig().inputShape);
    const model = new Sequential([a]);
    expect(model.built).toBe(true);
    expect(a.kernel.shape).toEqual([3, 4]);
    const seq = new Dense(2, { inputShape: [5, 3] });
    new Sequential([seq]);
    expect(seq.kernel.shape).toEqual([3, 2]);
  });

  it('computeOutputShape replaces the last axis by units', () => {
    const layer = new Dense(7);
    expect(layer.computeOutputShape([null, 3])).toEqual([null, 7]);
    expect(layer.computeOutputShape([null, 5, 3])).toEqual([null, 5, 7]);
    expect(layer.computeOutputShape([4, 2, 5, 3])).toEqual([4, 2, 5, 7]);
  });

  it('getConfig holds Keras options (camelCased) with defaults filled', () => {
    const config = new Dense(3, { name: 'd', activation: 'relu' }).getConfig();
    expect(config).toMatchObject({
      name: 'd', trainable: true, dtype: 'float32', units: 3, activation: 'relu', useBias: true,
      kernelInitializer: 'glorot_uniform', biasInitializer: 'zeros',
      kernelRegularizer: null, biasRegularizer: null, kernelConstraint: null, biasConstraint: null,
    });
    expect(new Dense(2).getConfig().activation).toBe('linear');
    expect(new Dense(2, { activation: 'leakyRelu' }).getConfig().activation).toBe('leaky_relu');
  });

  it.each<DenseOptions>([
    { activation: 'relu' },
    { activation: 'softmax', useBias: false },
    { activation: 'gelu', kernelInitializer: 'he_uniform', kernelRegularizer: 'l2', biasRegularizer: new L1(0.5) },
    { activation: 'sigmoid', kernelConstraint: 'max_norm', biasConstraint: 'non_neg', biasInitializer: 'ones', inputDim: 3 },
  ])('getConfig → JSON → fromConfig gives the same layer and, after setWeights, the same output (%j)', (options) => {
    const layer = handLayer(options);
    const config = layer.getConfig();
    const copy = Dense.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
    expect(copy.getConfig()).toEqual(config);
    copy.buildFor([null, 3]);
    copy.setWeights(layer.getWeights());
    expect(copy.apply(f64(X)).toArray()).toEqual(layer.apply(f64(X)).toArray());
    expect(copy.regularizationLosses().length).toBe(layer.regularizationLosses().length);
  });
});

describe('Dense gradients (float64 central differences)', () => {
  it.each(ACTIVATIONS)('%s: with respect to the input, kernel and bias', (activation) => {
    const layer = new Dense(4, { dtype: 'float64', activation, kernelInitializer: { className: 'RandomUniform', config: { minval: -1, maxval: 1, seed: 1 } }, biasInitializer: { className: 'RandomUniform', config: { minval: -0.5, maxval: 0.5, seed: 2 } } });
    const x = uniform([5, 3], 3, -2, 2);
    layer.buildFor([null, 3]);
    const report = gradCheck((t) => layer.apply(t), [x], { variables: [layer.kernel, layer.bias!] });
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });

  it.each(['linear', 'relu', 'tanh', 'sigmoid'])('%s: rank-3 input, no bias', (activation) => {
    const layer = new Dense(3, { dtype: 'float64', activation, useBias: false, kernelInitializer: { className: 'RandomNormal', config: { seed: 4, stddev: 1, mean: 0 } } });
    const x = uniform([2, 3, 4], 5, -2, 2);
    layer.buildFor([null, 3, 4]);
    const report = gradCheck((t) => layer.apply(t), [x], { variables: [layer.kernel] });
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });

  it('the kernel and bias gradients by hand (linear): dK = xᵀ·g, db = Σ_rows g, dx = g·Kᵀ', () => {
    const layer = handLayer();
    const x = f64(X);
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.run(() => sum(layer.apply(x)));
    const [dx, dk, db] = tape.gradient(y, [x, layer.kernel, layer.bias!]);
    expectClose(dk!, [0, 1, 2].map((k) => [0, 1].map(() => X.reduce((s, r) => s + r[k], 0))), 1e-15);
    expectClose(db!, [3, 3], 1e-15);
    expectClose(dx!, X.map(() => KERNEL.map((r) => r[0] + r[1])), 1e-15);
  });

  it.each(['linear', 'tanh', 'sigmoid'])('%s: second order (the gradient of the input gradient) matches central differences', (activation) => {
    const layer = handLayer({ activation });
    const r = uniform([3, 2], 6);
    const inputGrad = (t: Tensor): Tensor => grad((u: Tensor) => sum(mul(layer.apply(u), r)))(t);
    const report = gradCheck(inputGrad, [f64(X)], { variables: [layer.kernel] });
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });
});

describe('Dense regularizers and constraints', () => {
  it('kernel and bias regularizers add l2·Σk² and l1·Σ|b| to regularizationLosses()', () => {
    const layer = handLayer({ kernelRegularizer: 'l2', biasRegularizer: new L1(0.5) });
    const losses = layer.regularizationLosses().map((t) => t.item());
    const sumSq = KERNEL.flat().reduce((s, v) => s + v * v, 0);
    expect(losses).toHaveLength(2);
    expect(losses[0]).toBeCloseTo(0.01 * sumSq, 15); // no factor ½
    expect(losses[1]).toBeCloseTo(0.5 * (0.1 + 0.2), 15);
    expect(handLayer().regularizationLosses()).toEqual([]);
  });

  it('a non-trainable layer adds no penalty (Keras regularizes trainable weights only)', () => {
    const layer = handLayer({ kernelRegularizer: 'l2' });
    layer.trainable = false;
    expect(layer.regularizationLosses()).toEqual([]);
    layer.trainable = true;
    expect(layer.regularizationLosses()).toHaveLength(1);
  });

  it('the penalty joins the loss that evaluate and trainOnBatch report', () => {
    const layer = handLayer({ kernelRegularizer: new L2(0.25) });
    const model = new Sequential([layer], { dtype: 'float64' });
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const yTrue = [[1, 0], [0, 1], [0.5, 0.5]];
    const pred = denseRef(X, KERNEL, BIAS, 'linear');
    const mse = pred.reduce((s, r, i) => s + r.reduce((a, v, j) => a + (v - yTrue[i][j]) ** 2, 0) / 2, 0) / 3;
    const penalty = 0.25 * KERNEL.flat().reduce((s, v) => s + v * v, 0);
    expect(model.evaluate(f64(X), f64(yTrue), { verbose: 0 }) as number).toBeCloseTo(mse + penalty, 14);
    expect(model.trainOnBatch(f64(X), f64(yTrue)).loss).toBeCloseTo(mse + penalty, 14);
  });

  it('a kernel regularizer pulls the weights in a training step: gradient 2·l2·k', () => {
    const layer = handLayer({ kernelRegularizer: new L2(0.5) });
    const model = new Sequential([layer], { dtype: 'float64' });
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const pred = denseRef(X, KERNEL, BIAS, 'linear');
    model.trainOnBatch(f64(X), f64(pred)); // zero data loss: only the penalty moves the kernel
    expectClose(layer.kernel, KERNEL.map((r) => r.map((k) => k - 0.1 * 2 * 0.5 * k)), 1e-15);
    expectClose(layer.bias!, BIAS, 1e-15);
  });

  it('an activity regularizer adds l·Σy² of the latest call (Keras 3: not divided by the batch size) to the losses', () => {
    const layer = handLayer({ activityRegularizer: new L2(0.25) });
    expect(layer.regularizationLosses()).toEqual([]); // no call yet
    const y = layer.apply(f64(X));
    const pred = denseRef(X, KERNEL, BIAS, 'linear');
    const penalty = 0.25 * pred.flat().reduce((s, v) => s + v * v, 0);
    expect(Array.from(y.toTypedArray())).toEqual(pred.flat().map((v) => expect.closeTo(v, 14)));
    expect(layer.regularizationLosses().map((t) => t.item())).toEqual([expect.closeTo(penalty, 14)]);
    layer.apply(f64(X.slice(0, 1))); // a new outermost call replaces it
    expect(layer.regularizationLosses().map((t) => t.item())).toEqual([expect.closeTo(0.25 * pred[0].reduce((s, v) => s + v * v, 0), 14)]);
    layer.computeOutputShape([null, 3]); // a shape probe does not count
    expect(layer.regularizationLosses()).toHaveLength(1);
  });

  it('the activity penalty joins the loss of evaluate and trainOnBatch, and its gradient reaches the kernel', () => {
    const layer = handLayer({ activityRegularizer: new L2(0.5) });
    const model = new Sequential([layer], { dtype: 'float64' });
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const pred = denseRef(X, KERNEL, BIAS, 'linear');
    const penalty = 0.5 * pred.flat().reduce((s, v) => s + v * v, 0);
    expect(model.evaluate(f64(X), f64(pred), { verbose: 0 }) as number).toBeCloseTo(penalty, 14); // zero data loss
    expect(model.trainOnBatch(f64(X), f64(pred)).loss).toBeCloseTo(penalty, 14);
    // d/dK 0.5·Σ(XK + b)² = Xᵀ·(XK + b): one SGD step of 0.1
    const step = KERNEL.map((r, i) => r.map((k, j) => k - 0.1 * X.reduce((s, xr, n) => s + xr[i] * pred[n][j], 0)));
    expectClose(layer.kernel, step, 1e-14);
    expect(Dense.fromConfig(JSON.parse(JSON.stringify(layer.getConfig())) as LayerConfig).activityRegularizer?.getConfig())
      .toEqual({ className: 'L2', config: { l2: 0.5 } });
  });

  it("kernelConstraint 'non_neg' is applied after an optimizer step", () => {
    const layer = handLayer({ kernelConstraint: 'non_neg' });
    const opt = new SGD({ learningRate: 1 });
    const g = [[0.5, -0.1], [0.2, 0.3], [-0.4, 1]];
    opt.applyGradients([[f64(g), layer.kernel], [f64([1, 1]), layer.bias!]]);
    expectClose(layer.kernel, KERNEL.map((r, i) => r.map((k, j) => Math.max(0, k - g[i][j]))), 1e-15);
    expectClose(layer.bias!, [0.1 - 1, -0.2 - 1], 1e-15); // no bias constraint: negatives stay
  });

  it("biasConstraint 'max_norm' (2, axis 0) rescales the bias after a step", () => {
    const layer = handLayer({ biasConstraint: 'max_norm' });
    new SGD({ learningRate: 1 }).applyGradients([[f64([-3, -4]), layer.bias!]]);
    const b = [0.1 + 3, -0.2 + 4];
    const n = Math.hypot(...b);
    expectClose(layer.bias!, b.map((v) => (v * 2) / (n + 1e-7)), 1e-15);
  });
});

describe('Dense errors', () => {
  it('an input whose last axis differs from the built one fails in Keras words', () => {
    const layer = handLayer({ name: 'dense_in3' });
    expect(() => layer.apply(f64([[1, 2, 3, 4]]))).toThrow(
      "Input of layer 'dense_in3' (Dense) is incompatible: expected axis -1 of the input shape to have value 3, but received input with shape [1, 4]",
    );
    expect(() => layer.apply(f64([[[1, 2]]]))).toThrow(/expected axis -1 of the input shape to have value 3/);
  });

  it('a rank-1 input fails: Dense needs rank ≥ 2', () => {
    expect(() => handLayer().apply(f64([1, 2, 3]))).toThrow(/rank >= 2/);
    expect(() => new Dense(2).apply(f64([1, 2, 3]))).toThrow(/rank ≥ 2/);
  });

  it.each([0, -1, 2.5, NaN, Infinity])('units %d is refused', (units) => {
    expect(() => new Dense(units)).toThrow(/Dense: units must be a positive integer/);
  });

  it('an unknown activation fails at construction, listing the valid names', () => {
    expect(() => new Dense(2, { activation: 'rellu' })).toThrow(/Unknown activation 'rellu'.*'relu'/);
  });

  it('setWeights with a wrong count or shape fails and assigns nothing', () => {
    const layer = handLayer();
    expect(() => layer.setWeights([f64(KERNEL)])).toThrow(/got 1 arrays but the layer has 2 weights/);
    expect(() => layer.setWeights([f64([[1, 2, 3], [4, 5, 6]]), f64(BIAS)])).toThrow(/has shape \[3, 2\], got \[2, 3\]/);
    expect(layer.kernel.toArray()).toEqual(KERNEL);
  });
});
