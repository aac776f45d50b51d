// Tests of the batch-normalization kernels against plain float64 reference loops, channels last ([N, C], the
// B = 1 path) and channels first ([N, C, H, W] with axis 1), with and without gamma and beta, on strided input.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import { batchNormBackward, batchNormForward, batchNormStats } from './batch-norm.js';
import { transpose } from './views.js';

const values = (t: Tensor): number[] => Array.from(t.toTypedArray());

/** Seeded values in [-1, 1) (a sine hash). */
const numbers = (n: number, seed: number): number[] =>
  Array.from({ length: n }, (_, i) => ((Math.abs(Math.sin((i + 1) * 12.9898 + seed * 78.233)) * 43758.5453) % 1) * 2 - 1);

function expectClose(actual: number[], expected: number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]))));
}

/** The elements of feature c of a row-major [A, C, B] array, in order. */
function feature(x: number[], A: number, C: number, B: number, c: number): number[] {
  const out: number[] = [];
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) out.push(x[(a * C + c) * B + b]);
  return out;
}

/** Per feature: mean, biased variance, y, and the closed-form backward, by plain loops over [A, C, B]. */
function reference(x: number[], dy: number[], gamma: number[] | null, beta: number[] | null, A: number, C: number, B: number, eps: number) {
  const mean: number[] = [];
  const variance: number[] = [];
  const y = new Array<number>(x.length);
  const dx = new Array<number>(x.length);
  const dgamma: number[] = [];
  const dbeta: number[] = [];
  for (let c = 0; c < C; c++) {
    const xs = feature(x, A, C, B, c);
    const ds = feature(dy, A, C, B, c);
    const m = xs.length;
    const mu = xs.reduce((s, v) => s + v, 0) / m;
    const v = xs.reduce((s, u) => s + (u - mu) ** 2, 0) / m;
    const s = 1 / Math.sqrt(v + eps);
    const g = gamma ? gamma[c] : 1;
    const xhat = xs.map((u) => (u - mu) * s);
    const sumDy = ds.reduce((p, d) => p + d, 0);
    const sumDyXhat = ds.reduce((p, d, i) => p + d * xhat[i], 0);
    mean.push(mu);
    variance.push(v);
    dgamma.push(sumDyXhat);
    dbeta.push(sumDy);
    let k = 0;
    for (let a = 0; a < A; a++) {
      for (let b = 0; b < B; b++, k++) {
        const i = (a * C + c) * B + b;
        y[i] = g * xhat[k] + (beta ? beta[c] : 0);
        dx[i] = g * s * (ds[k] - sumDy / m - xhat[k] * (sumDyXhat / m));
      }
    }
  }
  return { mean, variance, y, dx, dgamma, dbeta };
}

const layouts = [
  { name: 'channels last [N, C]', shape: [9, 5], axis: -1, A: 9, C: 5, B: 1 },
  { name: 'channels first [N, C, H, W], axis 1', shape: [3, 4, 2, 3], axis: 1, A: 3, C: 4, B: 6 },
];

describe('batch normalization kernels', () => {
  for (const { name, shape, axis, A, C, B } of layouts) {
    it(`${name}: statistics, forward and backward against reference loops`, () => {
      const n = A * C * B;
      const xv = numbers(n, 1).map((v, i) => v * 3 + (i % C));
      const dyv = numbers(n, 2);
      const gv = numbers(C, 3).map((v) => v + 1.5);
      const bv = numbers(C, 4);
      const x = tensor(xv, shape, 'float64');
      const dy = tensor(dyv, shape, 'float64');
      const gamma = tensor(gv, [C], 'float64');
      const beta = tensor(bv, [C], 'float64');
      const eps = 1e-3;
      const ref = reference(xv, dyv, gv, bv, A, C, B, eps);
      const { mean, variance } = batchNormStats(x, axis);
      expectClose(values(mean), ref.mean);
      expectClose(values(variance), ref.variance);
      expectClose(values(batchNormForward(x, mean, variance, gamma, beta, axis, eps)), ref.y);
      const back = batchNormBackward(dy, x, mean, variance, gamma, axis, eps);
      expectClose(values(back.dx), ref.dx);
      expectClose(values(back.dgamma), ref.dgamma);
      expectClose(values(back.dbeta), ref.dbeta);
      // without gamma and beta: 1 and 0
      const plain = reference(xv, dyv, null, null, A, C, B, eps);
      expectClose(values(batchNormForward(x, mean, variance, null, null, axis, eps)), plain.y);
      expectClose(values(batchNormBackward(dy, x, mean, variance, null, axis, eps).dx), plain.dx);
    });
  }

  it('reads strided input as its row-major values', () => {
    const xv = numbers(12, 5);
    const x = transpose(tensor(xv, [3, 4], 'float64')); // [4, 3], not contiguous
    const copy = tensor(values(x), [4, 3], 'float64');
    const a = batchNormStats(x, -1);
    const b = batchNormStats(copy, -1);
    expect(values(a.mean)).toEqual(values(b.mean));
    expect(values(a.variance)).toEqual(values(b.variance));
    const dy = transpose(tensor(numbers(12, 6), [3, 4], 'float64'));
    const dyCopy = tensor(values(dy), [4, 3], 'float64');
    expect(values(batchNormBackward(dy, x, a.mean, a.variance, null, -1, 1e-3).dx)).toEqual(
      values(batchNormBackward(dyCopy, copy, b.mean, b.variance, null, -1, 1e-3).dx),
    );
  });

  it('float32 results have the input dtype; a per-feature vector of the wrong size is refused', () => {
    const x = tensor(numbers(8, 7), [4, 2]);
    const { mean, variance } = batchNormStats(x, -1);
    expect(mean.dtype).toBe('float32');
    expect(batchNormForward(x, mean, variance, null, null, -1, 1e-3).dtype).toBe('float32');
    expect(() => batchNormForward(x, tensor([0, 0, 0]), variance, null, null, -1, 1e-3)).toThrow(
      /batchNorm: mean has shape \[3\], expected 2 values \(one per feature\)/,
    );
  });
});
