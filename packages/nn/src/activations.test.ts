// Tests of the activations against Keras 3's formulas worked by hand (KERAS_SEMANTICS.md section 3), names, gradients.
import { describe, expect, it } from 'vitest';
import { Random, type Tensor, tensor } from '@tapegrad/tensor';
import { grad, gradCheck, sum } from '@tapegrad/autograd';
import { activationName, activations, getActivation, serializeActivation } from './activations.js';
import { ELEMENTWISE, SELU_ALPHA, SELU_SCALE, erf, expectClose, f64, softmaxRow } from './test-utils.js';

/** Keras 3's activation names (section 3). */
const KERAS_NAMES = [
  'relu', 'sigmoid', 'tanh', 'softmax', 'linear', 'elu', 'selu', 'gelu', 'softplus', 'softsign', 'silu', 'swish',
  'leaky_relu', 'relu6', 'hard_sigmoid', 'exponential',
];

/** Where each activation's derivative jumps: gradient checks keep 0.05 away from these points. */
const KINKS: Record<string, number[]> = {
  relu: [0], elu: [0], selu: [0], leaky_relu: [0], relu6: [0, 6], hard_sigmoid: [-3, 3],
};

/** Points around every kink and in the tails, including the kinks themselves. */
const POINTS = [-7, -4, -3, -2.5, -1, -0.5, -0.1, 0, 1e-3, 0.1, 0.5, 1, 1.5, 2.5, 3, 4, 5.5, 6, 6.5, 9];

/** Values in [-8, 8] kept 0.05 away from the kinks. */
function offKinks(shape: number[], kinks: number[], seed: number): Tensor {
  const rng = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 16 * rng.uniform() - 8;
    while (kinks.some((k) => Math.abs(v - k) < 0.05)) v = 16 * rng.uniform() - 8;
    data[i] = v;
  }
  return tensor(data, shape);
}

describe('erf reference (the test helper itself)', () => {
  it('matches tabulated values of erf', () => {
    // Abramowitz & Stegun table 7.1 / high-precision values.
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(Math.SQRT2)).toBeCloseTo(0.9544997361036416, 15);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 15);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 15);
  });
});

describe('activations by hand (Keras 3 formulas)', () => {
  it.each(KERAS_NAMES.filter((n) => n !== 'softmax'))('%s matches its formula at points around kinks and in the tails', (name) => {
    const y = getActivation(name)(f64(POINTS));
    expect(y.dtype).toBe('float64');
    expect(y.shape).toEqual([POINTS.length]);
    expectClose(y, POINTS.map(ELEMENTWISE[name]), 1e-14);
  });

  it('worked values at a glance: relu, leaky_relu (0.2), relu6, hard_sigmoid (relu6(x+3)/6, not 0.2x+0.5)', () => {
    const x = f64([-2, 0, 1.5, 7]);
    expect(getActivation('relu')(x).toArray()).toEqual([0, 0, 1.5, 7]);
    expectClose(getActivation('leaky_relu')(x), [-0.4, 0, 1.5, 7], 1e-15);
    expect(getActivation('relu6')(x).toArray()).toEqual([0, 0, 1.5, 6]);
    expectClose(getActivation('hard_sigmoid')(x), [1 / 6, 0.5, 0.75, 1], 1e-15); // tf.keras 2 would give 0.8 at 1.5
    expectClose(getActivation('softsign')(x), [-2 / 3, 0, 0.6, 7 / 8], 1e-15);
  });

  it('selu uses alpha 1.6732632423543772 and scale 1.0507009873554805; elu alpha 1', () => {
    expectClose(getActivation('selu')(f64([-1, 2])), [SELU_SCALE * SELU_ALPHA * (Math.exp(-1) - 1), SELU_SCALE * 2], 1e-15);
    expectClose(getActivation('elu')(f64([-1, 2])), [Math.exp(-1) - 1, 2], 1e-15);
  });

  it('gelu is the exact erf form: 0.5·x·(1 + erf(x/√2))', () => {
    // gelu(√2) = √2/2·(1 + erf(1)); gelu(1) = 0.5·(1 + erf(1/√2)) = Φ(1) = 0.8413447460685429.
    expectClose(getActivation('gelu')(f64([Math.SQRT2, 1, -1])), [
      (Math.SQRT2 / 2) * (1 + 0.8427007929497149), 0.8413447460685429, -1 * (1 - 0.8413447460685429),
    ], 1e-14);
    // The tanh approximation differs by ~1e-4 at 1: make sure that is not what we compute.
    const approx = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1 + 0.044715)));
    expect(Math.abs(getActivation('gelu')(f64([1])).item() - approx)).toBeGreaterThan(1e-5);
  });

  it('softmax runs along the last axis, for rank 1, 2 and 3', () => {
    const rows = [[1, 2, 3], [-1, 0, 5], [1000, 1000, 1000]];
    const y = getActivation('softmax')(f64(rows));
    expectClose(y, rows.map(softmaxRow), 1e-15);
    expectClose(getActivation('softmax')(f64([0, Math.log(3)])), [0.25, 0.75], 1e-15);
    const cube = [[[1, 2], [3, 5]], [[0, 0], [-1, 1]]];
    expectClose(getActivation('softmax')(f64(cube)), cube.map((m) => m.map(softmaxRow)), 1e-15);
    for (const r of y.toArray() as number[][]) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
  });

  it('linear returns its input unchanged; null and undefined mean linear', () => {
    const x = f64([-1, 2]);
    expect(getActivation('linear')(x).toArray()).toEqual([-1, 2]);
    expect(getActivation(null)).toBe(activations.linear);
    expect(getActivation(undefined)).toBe(activations.linear);
  });

  it('float32 inputs stay float32', () => {
    for (const name of KERAS_NAMES) expect(getActivation(name)(tensor([[0.5, -0.5]])).dtype).toBe('float32');
  });
});

describe('activation gradients', () => {
  it('relu has gradient 0 at 0 (Keras), 1 above, 0 below', () => {
    const g = grad((x: Tensor) => sum(getActivation('relu')(x)))(f64([-1, 0, 1]));
    expect(g.toArray()).toEqual([0, 0, 1]);
  });

  it('derivatives by hand at sample points', () => {
    const d = (name: string, x: number): number => grad((t: Tensor) => sum(getActivation(name)(t)))(f64([x])).item();
    const s = 1 / (1 + Math.exp(-0.7));
    expect(d('sigmoid', 0.7)).toBeCloseTo(s * (1 - s), 14);
    expect(d('tanh', 0.7)).toBeCloseTo(1 - Math.tanh(0.7) ** 2, 14);
    expect(d('softplus', 0.7)).toBeCloseTo(s, 14);
    expect(d('softsign', -0.7)).toBeCloseTo(1 / 1.7 ** 2, 14);
    expect(d('silu', 0.7)).toBeCloseTo(s + 0.7 * s * (1 - s), 14);
    expect(d('elu', -0.7)).toBeCloseTo(Math.exp(-0.7), 14);
    expect(d('selu', -0.7)).toBeCloseTo(SELU_SCALE * SELU_ALPHA * Math.exp(-0.7), 14);
    expect(d('leaky_relu', -0.7)).toBeCloseTo(0.2, 14);
    expect(d('relu6', 7)).toBe(0);
    expect(d('hard_sigmoid', 1)).toBeCloseTo(1 / 6, 14);
    expect(d('hard_sigmoid', 3.5)).toBe(0);
    expect(d('exponential', 0.7)).toBeCloseTo(Math.exp(0.7), 14);
    // gelu' = Φ(x) + x·φ(x)
    expect(d('gelu', 0.7)).toBeCloseTo(0.5 * (1 + erf(0.7 / Math.SQRT2)) + (0.7 * Math.exp(-0.245)) / Math.sqrt(2 * Math.PI), 13);
  });

  it.each(KERAS_NAMES)('%s: VJP matches central differences (float64, off kinks)', (name) => {
    const x = offKinks([4, 5], KINKS[name] ?? [], 3);
    const report = gradCheck(getActivation(name), [x]);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });
});

describe('activation names', () => {
  it('has every Keras 3 activation of section 3, under its snake_case name', () => {
    for (const name of KERAS_NAMES) expect(activations[name], name).toBeTypeOf('function');
  });

  it.each([
    ['leakyRelu', 'leaky_relu'], ['hardSigmoid', 'hard_sigmoid'], ['Relu6', 'relu6'], ['SILU', 'silu'], ['Gelu', 'gelu'],
    ['leaky_relu', 'leaky_relu'], ['hard_sigmoid', 'hard_sigmoid'],
  ])('looks up %s as %s (snake_case or camelCase)', (given, keras) => {
    expect(getActivation(given)).toBe(activations[keras]);
  });

  it('an unknown name fails, listing the valid names', () => {
    let message = '';
    try {
      getActivation('relu7');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Unknown activation 'relu7'/);
    for (const name of KERAS_NAMES) expect(message).toContain(`'${name}'`);
  });

  it('a function is returned as is; names serialize to snake_case', () => {
    const f = (x: Tensor): Tensor => x;
    expect(getActivation(f)).toBe(f);
    expect(activationName(activations.hard_sigmoid)).toBe('hard_sigmoid');
    expect(activationName(f)).toBeNull();
    expect(serializeActivation('leakyRelu', 'dense')).toBe('leaky_relu');
    expect(serializeActivation(null, 'dense')).toBe('linear');
    expect(() => serializeActivation(f, 'my_dense')).toThrow(/my_dense/);
  });
});
