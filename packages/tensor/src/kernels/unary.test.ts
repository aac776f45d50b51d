// Tests of the unary kernels: hand-worked values, edge cases (halves, overflow, ±0, NaN) and strided inputs;
// activationGrad against the formulas and against the separate kernels it fuses.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import * as U from './unary.js';
import { greater as greaterK, mul as mulK, sub as subK } from './binary.js';
import { broadcastTo, stridedSlice, transpose } from './views.js';

const f64 = (values: number[], shape?: number[]): Tensor => tensor(values, shape, 'float64');
const values = (t: Tensor): number[] => Array.from(t.toTypedArray());

/** Expects |actual - expected| <= tol * |expected| elementwise (exact match for non-finite and zero expectations). */
function expectRelative(actual: number[], expected: number[], tol = 1e-15): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    if (!Number.isFinite(e) || e === 0) expect(a).toBe(e);
    else expect(Math.abs(a - e)).toBeLessThanOrEqual(tol * Math.abs(e));
  });
}

describe('unary kernels: hand-worked values (float64)', () => {
  it('neg, abs, square, reciprocal', () => {
    expect(values(U.neg(f64([1, -2, 0])))).toEqual([-1, 2, -0]);
    expect(values(U.abs(f64([-1.5, 2, -0])))).toEqual([1.5, 2, 0]);
    expect(values(U.square(f64([-3, 0.5, 0])))).toEqual([9, 0.25, 0]);
    expect(values(U.reciprocal(f64([4, -0.5, 0, -0])))).toEqual([0.25, -2, Infinity, -Infinity]);
  });

  it('exp, expm1, log, log1p', () => {
    expectRelative(values(U.exp(f64([0, 1, -1, 1000, -1000]))), [1, 2.718281828459045, 0.36787944117144233, Infinity, 0]);
    // expm1(x) = x + x²/2 + ...: for 1e-10 that is 1.00000000005e-10, which exp(x) - 1 gets badly wrong.
    expectRelative(values(U.expm1(f64([0, 1e-10, 1]))), [0, 1.00000000005e-10, 1.718281828459045]);
    expectRelative(values(U.log(f64([1, Math.E, 10, 0]))), [0, 1, 2.302585092994046, -Infinity]);
    expect(values(U.log(f64([-1])))).toEqual([NaN]);
    expectRelative(values(U.log1p(f64([0, 1e-10, 1, -1]))), [0, 9.9999999995e-11, 0.6931471805599453, -Infinity]);
  });

  it('sqrt and rsqrt', () => {
    expectRelative(values(U.sqrt(f64([4, 2, 0, 0.25]))), [2, 1.4142135623730951, 0, 0.5]);
    expect(values(U.sqrt(f64([-1])))).toEqual([NaN]);
    expectRelative(values(U.rsqrt(f64([4, 0.25, 2, 0]))), [0.5, 2, 0.7071067811865475, Infinity]);
  });

  it('sign keeps ±0 and NaN', () => {
    expect(values(U.sign(f64([-2, 0, 3, -0, NaN, -Infinity])))).toEqual([-1, 0, 1, -0, NaN, -1]);
  });

  it('relu', () => {
    expect(values(U.relu(f64([-1, 0, 2.5, -Infinity, Infinity])))).toEqual([0, 0, 2.5, 0, Infinity]);
    // NaN and -0 give +0 (as `x > 0 ? x : 0`), and the largest and smallest float32 values pass through
    expect(values(U.relu(tensor([NaN, -0, 3.4028234663852886e38, 1e-45, -1e-45])))).toEqual([0, 0, 3.4028234663852886e38, 1.401298464324817e-45, 0]);
    expect(Object.is(values(U.relu(f64([-0, -5])))[0], 0)).toBe(true);
  });

  it('tanh, sin, cos', () => {
    expectRelative(values(U.tanh(f64([0, 0.5, -0.5, 20, -20, 1000]))), [0, 0.46211715726000974, -0.46211715726000974, 1, -1, 1]);
    expectRelative(values(U.sin(f64([0, Math.PI / 6, Math.PI / 2, -Math.PI / 2]))), [0, 0.5, 1, -1], 1e-15);
    expectRelative(values(U.cos(f64([0, Math.PI / 3, Math.PI]))), [1, 0.5, -1], 1e-15);
  });

  it('floor and ceil', () => {
    expect(values(U.floor(f64([-1.5, 1.5, 2, -0.5, 0.9999])))).toEqual([-2, 1, 2, -1, 0]);
    expect(values(U.ceil(f64([-1.5, 1.5, 2, -0.5, 0.0001])))).toEqual([-1, 2, 2, -0, 1]);
  });

  it('round sends halves to the even neighbour (NumPy, TensorFlow), other values to the nearest', () => {
    expect(values(U.round(f64([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, -3.5])))).toEqual([0, 2, 2, 4, -0, -2, -2, -4]);
    expect(values(U.round(f64([2.4, 2.6, -2.4, -2.6, 3, -7, 0.49999999999999994])))).toEqual([2, 3, -2, -3, 3, -7, 0]);
    expect(values(U.round(f64([4503599627370497, -4503599627370497, 1e300])))).toEqual([4503599627370497, -4503599627370497, 1e300]);
    // float32 halves too: 1.5 and 2.5 are exact in float32.
    expect(values(U.round(tensor([1.5, 2.5, -2.5])))).toEqual([2, 2, -2]);
  });

  it('sigmoid: 1 / (1 + e^-x), exact at 0 and stable at ±1000', () => {
    expectRelative(values(U.sigmoid(f64([0, 2, -2, -40]))), [0.5, 0.8807970779778824, 0.11920292202211756, 4.248354255291589e-18], 1e-14);
    expect(values(U.sigmoid(f64([1000, -1000])))).toEqual([1, 0]);
    expect(values(U.sigmoid(tensor([1000, -1000, 88.8, -88.8])))).toEqual([1, 0, 1, Math.fround(1 / (1 + Math.exp(Math.fround(88.8))))]);
  });

  it('softplus: log(1 + e^x), without overflow at ±1000', () => {
    expectRelative(
      values(U.softplus(f64([0, 1, -1, -30, 30]))),
      [0.6931471805599453, 1.3132616875182228, 0.3132616875182228, 9.357622968839737e-14, 30.000000000000092],
      1e-14,
    );
    expect(values(U.softplus(f64([1000, -1000])))).toEqual([1000, 0]);
    expect(values(U.softplus(tensor([1000, -1000])))).toEqual([1000, 0]);
  });

  it('erf matches known values to 1e-15', () => {
    const x = [0, 0.5, 1, 2, 3, -4, -0.5, 6, -10];
    const erf = [0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014, -0.9999999845827421, -0.5204998778130465, 1, -1];
    const got = values(U.erf(f64(x)));
    got.forEach((g, i) => expect(Math.abs(g - erf[i])).toBeLessThanOrEqual(1e-15));
    expect(values(U.erf(f64([NaN, Infinity, -Infinity])))).toEqual([NaN, 1, -1]);
  });

  it('erf is odd and increasing across the switch from series to continued fraction at |x| = 3', () => {
    const xs = [2.9, 2.99, 2.999999, 3, 3.000001, 3.01, 3.1, 5.9, 6];
    const ys = values(U.erf(f64(xs)));
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeGreaterThanOrEqual(ys[i - 1]);
    expect(values(U.erf(f64(xs.map((v) => -v))))).toEqual(ys.map((v) => -v));
  });
});

describe('unary kernels: dtypes, shapes and views', () => {
  it('keeps float32 in float32', () => {
    const out = U.exp(tensor([1]));
    expect(out.dtype).toBe('float32');
    expect(out.data[0]).toBe(Math.fround(Math.E));
  });

  it('keeps the shape, including scalars and zero-sized tensors', () => {
    expect(U.neg(tensor(3)).toArray()).toBe(-3);
    expect(U.neg(tensor(3)).shape).toEqual([]);
    const empty = U.sqrt(f64([], [2, 0, 3]));
    expect(empty.shape).toEqual([2, 0, 3]);
    expect(empty.size).toBe(0);
  });

  it('reads transposed, reversed, stepped and broadcast views in their logical order', () => {
    const m = f64([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(U.square(transpose(m)).toArray()).toEqual([[1, 16], [4, 25], [9, 36]]);
    const rev = stridedSlice(f64([0.5, 1.5, 2.5, 3.5, 4.5]), [], [], [-2]); // [4.5, 2.5, 0.5]
    expect(values(U.round(rev))).toEqual([4, 2, 0]);
    const b = broadcastTo(f64([-1, 2], [2, 1]), [2, 3]);
    expect(U.neg(b).toArray()).toEqual([[1, 1, 1], [-2, -2, -2]]);
    expect(U.neg(b).isContiguous).toBe(true);
    const cube = transpose(tensor(Array.from({ length: 24 }, (_, i) => i - 12), [2, 3, 4], 'float64'), [2, 0, 1]);
    expect(values(U.relu(cube))).toEqual(values(cube).map((v) => (v > 0 ? v : 0)));
  });

  it('never writes into its input', () => {
    const x = f64([1, -2]);
    U.neg(x);
    U.relu(x);
    expect(values(x)).toEqual([1, -2]);
  });
});

describe('activationGrad', () => {
  const y = [0.25, 0, -0.5, 0.9, 1e-30];
  const g = [2, -3, 4, -0.5, 7];

  it('relu, sigmoid and tanh: g·act\'(y) read off the output, against the formulas (float64)', () => {
    const G = f64(g, [5]);
    const Y = f64(y, [5]);
    expect(values(U.activationGrad(G, Y, 'relu'))).toEqual(g.map((gi, i) => gi * (y[i] > 0 ? 1 : 0)));
    expectRelative(values(U.activationGrad(G, Y, 'sigmoid')), g.map((gi, i) => gi * y[i] * (1 - y[i])));
    expectRelative(values(U.activationGrad(G, Y, 'tanh')), g.map((gi, i) => gi * (1 - y[i] * y[i])));
    expect(U.activationGrad(G, Y, 'linear')).toBe(G);
  });

  it('in float32 rounds each factor as the separate kernels (mul, sub, square, greater) do: the same bits', () => {
    const rand = Array.from({ length: 64 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const G = tensor(rand.map((v) => v * 3), [8, 8]);
    const Y = tensor(rand.map((v, i) => (i % 5 === 0 ? 0 : (v + 1) / 2)), [8, 8]);
    const one = tensor(1, []);
    const zero = tensor(0, []);
    expect(values(U.activationGrad(G, Y, 'relu'))).toEqual(values(mulK(G, greaterK(Y, zero))));
    expect(values(U.activationGrad(G, Y, 'sigmoid'))).toEqual(values(mulK(G, mulK(Y, subK(one, Y)))));
    expect(values(U.activationGrad(G, Y, 'tanh'))).toEqual(values(mulK(G, subK(one, U.square(Y)))));
  });

  it('keeps a NaN or infinite g where relu is flat (g·0), as mul does', () => {
    expect(values(U.activationGrad(f64([NaN, Infinity, 1]), f64([-1, -1, -1]), 'relu'))).toEqual([NaN, NaN, 0]);
  });

  it('reads strided views, and refuses shapes or dtypes that differ', () => {
    const G = transpose(f64([1, 2, 3, 4, 5, 6], [2, 3]));
    const Y = f64([1, -1, 1, -1, 1, -1], [3, 2]);
    expect(values(U.activationGrad(G, Y, 'relu'))).toEqual([1, 0, 2, 0, 3, 0]); // G is [[1, 4], [2, 5], [3, 6]]
    expect(() => U.activationGrad(f64([1, 2]), f64([1, 2, 3]), 'relu')).toThrow(/activationGrad: the gradient \[2\] and the output \[3\]/);
    expect(() => U.activationGrad(tensor([1]), f64([1]), 'relu')).toThrow(/different dtypes/);
  });
});
