// Test helpers for the nn package: Keras's activation formulas as plain JavaScript, erf by series, a dense
// layer by loops, sample statistics and closeness checks, seeded normal tensors, weights swapped for gradCheck. Expected values come from here, never from the code under test.
import { expect } from 'vitest';
import { type NestedArray, Random, type Tensor, tensor } from '@tapegrad/tensor';
import type { Layer } from './layer.js';

/** A float64 tensor from nested arrays. */
export const f64 = (values: NestedArray): Tensor => tensor(values, undefined, 'float64');

/**
 * erf(x) by the all-positive series erf(x) = 2/√π · e^(-x²) · Σ_n 2^n x^(2n+1) / (1·3·5···(2n+1)) (Abramowitz-Stegun 7.1.6):
 * no cancellation, so full double precision for |x| ≤ 6.
 */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  let term = x;
  let total = x;
  for (let n = 1; n < 500 && term > 1e-18 * total; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    total += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * total;
}

/** Keras 3's SELU constants (activations.py). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

const sig = (x: number): number => 1 / (1 + Math.exp(-x));
const elu = (x: number, alpha = 1): number => (x > 0 ? x : alpha * (Math.exp(x) - 1));

/** Keras 3's elementwise activations (keras/src/activations/activations.py), one number at a time. */
export const ELEMENTWISE: Readonly<Record<string, (x: number) => number>> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  sigmoid: sig,
  tanh: (x) => Math.tanh(x),
  elu: (x) => elu(x),
  selu: (x) => SELU_SCALE * elu(x, SELU_ALPHA),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  softplus: (x) => Math.log(1 + Math.exp(x)),
  softsign: (x) => x / (1 + Math.abs(x)),
  silu: (x) => x * sig(x),
  swish: (x) => x * sig(x),
  leaky_relu: (x) => (x > 0 ? x : 0.2 * x),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  hard_sigmoid: (x) => Math.min(Math.max(x + 3, 0), 6) / 6, // Keras 3: relu6(x + 3) / 6
  exponential: (x) => Math.exp(x),
};

/** Softmax of one row, shifted by its maximum. */
export function softmaxRow(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Any activation of Section 3 applied to rows (softmax along the last axis). */
export function activateRows(name: string, rows: readonly number[][]): number[][] {
  if (name === 'softmax') return rows.map(softmaxRow);
  const f = ELEMENTWISE[name];
  if (f === undefined) throw new Error(`test-utils: no reference for activation '${name}'`);
  return rows.map((r) => r.map(f));
}

/** act(x · kernel + bias) by loops: x rows [n][in], kernel [in][units], bias [units] or null. */
export function denseRef(x: readonly number[][], kernel: readonly number[][], bias: readonly number[] | null, activation: string): number[][] {
  const units = kernel[0].length;
  const z = x.map((row) =>
    Array.from({ length: units }, (_, j) => row.reduce((s, v, k) => s + v * kernel[k][j], bias ? bias[j] : 0)),
  );
  return activateRows(activation, z);
}

/** Flattens nested arrays of numbers. */
export const flat = (values: unknown): number[] => (Array.isArray(values) ? values.flatMap(flat) : [values as number]);

/** Expects every element of `actual` within `tol` of `expected`, relative to max(1, |expected|). */
export function expectClose(actual: Tensor | ArrayLike<number>, expected: unknown, tol: number): void {
  const a = Array.from('toTypedArray' in actual ? actual.toTypedArray() : actual);
  const e = flat(expected);
  expect(a.length).toBe(e.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i] - e[i]) / Math.max(1, Math.abs(e[i]));
    if (!(err <= worst)) [worst, at] = [err, i];
  }
  expect(worst, `element ${at}: got ${a[at]}, expected ${e[at]}`).toBeLessThanOrEqual(tol);
}

/** Mean, standard deviation (population), smallest, largest and largest absolute value of a sample. */
export function sampleStats(values: ArrayLike<number>): { mean: number; std: number; min: number; max: number; maxAbs: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    s += values[i];
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const mean = s / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(ss / values.length), min, max, maxAbs: Math.max(-min, max) };
}

/** A float64 tensor of `shape` with seeded normal values, `shift + scale · N(0, 1)`. */
export function randomF64(shape: number[], seed: number, scale = 1, shift = 0): Tensor {
  const rng = new Random(seed);
  return tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => shift + scale * rng.normal()), shape);
}

/** Runs `f` with some of the layer's weight properties replaced by plain tensors, so gradCheck can vary them. */
export function withWeights<T>(layer: Layer, weights: Record<string, Tensor>, f: () => T): T {
  const target = layer as unknown as Record<string, unknown>;
  const saved = Object.fromEntries(Object.keys(weights).map((k) => [k, target[k]]));
  Object.assign(target, weights);
  try {
    return f();
  } finally {
    Object.assign(target, saved);
  }
}
