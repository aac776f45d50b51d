// Helpers shared by the autograd tests: seeded float64 samples shaped to stay off kinks and poles.
import { Random, type Shape, Tensor, randomNormal, randomUniform, sizeOf } from '@tapegrad/tensor';
import { expect } from 'vitest';
import { type GradCheckOptions, type GradCheckReport, gradCheck } from './gradcheck.js';

/** Standard normal float64 values from a seed. */
export const normal = (shape: Shape, seed: number): Tensor => randomNormal(shape, { dtype: 'float64', seed });

/** Uniform float64 values in [lo, hi) from a seed. */
export const uniform = (shape: Shape, lo: number, hi: number, seed: number): Tensor =>
  randomUniform(shape, { minval: lo, maxval: hi, dtype: 'float64', seed });

/** Float64 values with |x| in [0.3, 2) and random signs: away from the kinks of relu, abs and the pole of 1/x. */
export function offZero(shape: Shape, seed: number): Tensor {
  const rng = new Random(seed);
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = (rng.uniform() < 0.5 ? -1 : 1) * (0.3 + 1.7 * rng.uniform());
  return new Tensor(data, shape);
}

/** Float64 values that are all distinct, at least 0.1 apart, in random order: no ties for max, min or pooling. */
export function distinct(shape: Shape, seed: number): Tensor {
  const n = sizeOf(shape);
  const perm = new Random(seed).permutation(n);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = (perm[i] - n / 2) * 0.1;
  return new Tensor(data, shape);
}

/** A float64 tensor from nested values. */
export const f64 = (values: number[] | number[][] | number[][][] | number, shape?: Shape): Tensor => {
  const flat = typeof values === 'number' ? [values] : (values.flat(2) as number[]);
  const dims = shape ?? (typeof values === 'number' ? [] : inferShape(values));
  return new Tensor(Float64Array.from(flat), dims);
};

function inferShape(values: unknown): number[] {
  const shape: number[] = [];
  for (let v = values; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

/** The largest maxRelError any {@link expectGradOk} call has seen in this test file, with the case it came from. */
export const largest = { error: 0, name: '' };

/** Runs gradCheck and expects a relative error below 1e-6, with the report as the failure message. */
export function expectGradOk(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options: GradCheckOptions = {}): GradCheckReport {
  const tol = 1e-6;
  const report = gradCheck(f, inputs, options);
  if (report.maxRelError > largest.error) Object.assign(largest, { error: report.maxRelError, name });
  expect(report.checked, `${name}: nothing was checked`).toBeGreaterThan(0);
  expect(report.maxRelError, `${name}: ${report.toString()}`).toBeLessThan(tol);
  return report;
}

/** Elementwise closeness of a tensor to expected nested values. */
export function expectClose(t: Tensor, expected: number[] | number[][] | number, digits = 10): void {
  const got = t.toTypedArray();
  const want = typeof expected === 'number' ? [expected] : (expected.flat(2) as number[]);
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i], `element ${i}`).toBeCloseTo(w, digits));
}
