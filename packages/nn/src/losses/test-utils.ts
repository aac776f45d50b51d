// Test helpers for losses and metrics: reference formulas as plain loops over nested arrays, seeded data, and
// sigmoid/softmax outputs that remember their logits (as the activations make them).
import { Random, type Tensor, tensor } from '@tapegrad/tensor';
import { exp, logSumExp, sigmoid, sub } from '@tapegrad/autograd';
import { markLogits } from '../ops/logits.js';

export const EPS = 1e-7;
const clamp = (p: number): number => Math.min(Math.max(p, EPS), 1 - EPS);
const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A float64 tensor from nested arrays. */
export const f64 = (values: number[] | number[][] | number[][][]): Tensor => tensor(values, undefined, 'float64');

/** Rows × cols uniform numbers in [lo, hi), seeded. */
export function uniformRows(seed: number, rows: number, cols: number, lo: number, hi: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => lo + (hi - lo) * rng.uniform()));
}

/** Rows × cols labels in {0, 1}, seeded. */
export function binaryRows(seed: number, rows: number, cols: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.int(2)));
}

/** One-hot rows for the class indices. */
export const oneHotRows = (labels: number[], classes: number): number[][] =>
  labels.map((k) => Array.from({ length: classes }, (_, c) => (c === k ? 1 : 0)));

/** Reference binary cross-entropy per sample: mean over the row of -(y log p + (1-y) log(1-p)). */
export function refBce(y: number[][], pOrZ: number[][], { ls = 0, logits = false } = {}): number[] {
  return y.map((row, i) => mean(row.map((y0, j) => {
    const t = y0 * (1 - ls) + 0.5 * ls;
    const v = pOrZ[i][j];
    if (logits) return Math.max(v, 0) - v * t + Math.log(1 + Math.exp(-Math.abs(v)));
    const p = clamp(v);
    return -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
  })));
}

/** Reference categorical cross-entropy per sample: -Σ y log(p / Σp clipped), or -Σ y log softmax(z). */
export function refCce(y: number[][], pOrZ: number[][], { ls = 0, logits = false } = {}): number[] {
  return y.map((row, i) => {
    const v = pOrZ[i];
    const C = row.length;
    let logP: number[];
    if (logits) {
      const m = Math.max(...v);
      const lse = m + Math.log(v.reduce((a, z) => a + Math.exp(z - m), 0));
      logP = v.map((z) => z - lse);
    } else {
      const s = v.reduce((a, b) => a + b, 0);
      logP = v.map((p) => Math.log(clamp(p / s)));
    }
    return -row.reduce((acc, y0, c) => acc + (y0 * (1 - ls) + ls / C) * logP[c], 0);
  });
}

/** Reference mean squared error, mean absolute error and hinge per sample. */
export const refMse = (y: number[][], p: number[][]): number[] => y.map((r, i) => mean(r.map((t, j) => (t - p[i][j]) ** 2)));
export const refMae = (y: number[][], p: number[][]): number[] => y.map((r, i) => mean(r.map((t, j) => Math.abs(t - p[i][j]))));
export function refHinge(y: number[][], p: number[][]): number[] {
  const binary = y.every((r) => r.every((t) => t === 0 || t === 1));
  return y.map((r, i) => mean(r.map((t, j) => Math.max(1 - (binary ? 2 * t - 1 : t) * p[i][j], 0))));
}

/** σ(z) computed by the sigmoid op and marked with its logits, as the 'sigmoid' activation returns it. */
export const sigmoidOutput = (z: Tensor): Tensor => markLogits(sigmoid(z), 'sigmoid', z);

/** softmax(z) along the last axis, composed from ops and marked with its logits, as the 'softmax' activation. */
export const softmaxOutput = (z: Tensor): Tensor => markLogits(exp(sub(z, logSumExp(z, -1, true))), 'softmax', z);

/** σ(z) elementwise on nested rows. */
export const sigmoidRows = (z: number[][]): number[][] => z.map((r) => r.map(sig));

/** The flat values of a tensor as a plain array. */
export const values = (t: Tensor): number[] => Array.from(t.toTypedArray());
