// Batch normalization kernels: per-feature statistics, the normalizing forward, and the closed-form backward.
// A tensor is seen as [A, C, B]: C features along `axis`, A the axes before it, B those after (B = 1 for
// channels-last). Every loop takes one feature at a time (its per-feature values and sums stay in locals), visiting
// its A·B elements in memory order: for channels-last that is a column of stride C, 2–3× faster in V8 than walking
// rows with the per-feature values in arrays (measured at [32, 50] and [128, 256]).
import { type TypedArray, allocate } from '../dtype.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { Tensor } from '../tensor.js';
import { copyToContiguous } from '../strided.js';

/** The [A, C, B] view of `x` around `axis`, with a contiguous copy of the data if needed. */
function layout(x: Tensor, axis: number, op: string): { data: TypedArray; off: number; A: number; C: number; B: number } {
  const ax = normalizeAxis(axis, x.rank, op);
  const C = x.shape[ax];
  let A = 1;
  let B = 1;
  for (let i = 0; i < ax; i++) A *= x.shape[i];
  for (let i = ax + 1; i < x.rank; i++) B *= x.shape[i];
  return x.isContiguous ? { data: x.data, off: x.offset, A, C, B } : { data: copyToContiguous(x), off: 0, A, C, B };
}

/** A per-feature vector's data, checked to have C elements. */
function vector(v: Tensor, C: number, op: string, what: string): { d: TypedArray; o: number } {
  if (v.size !== C) throw new Error(`${op}: ${what} has shape ${formatShape(v.shape)}, expected ${C} values (one per feature)`);
  return v.isContiguous ? { d: v.data, o: v.offset } : { d: copyToContiguous(v), o: 0 };
}

/**
 * Per-feature mean and biased variance over every axis but `axis` (two passes, for accuracy):
 * mean = Σx/m, variance = Σ(x - mean)²/m with m the number of elements per feature.
 * @example `batchNormStats(x, -1)` for x [N, C] gives mean [C] and variance [C]
 */
export function batchNormStats(x: Tensor, axis: number): { mean: Tensor; variance: Tensor } {
  const { data, off, A, C, B } = layout(x, axis, 'batchNormStats');
  const m = A * B;
  const meanOut = allocate(x.dtype, C);
  const varOut = allocate(x.dtype, C);
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let a = 0; a < A; a++) for (let b = 0, i = off + (a * C + c) * B; b < B; b++, i++) sum += data[i];
    const mu = sum / m;
    let sq = 0;
    for (let a = 0; a < A; a++) for (let b = 0, i = off + (a * C + c) * B; b < B; b++, i++) sq += (data[i] - mu) * (data[i] - mu);
    meanOut[c] = mu;
    varOut[c] = sq / m;
  }
  return { mean: new Tensor(meanOut, [C]), variance: new Tensor(varOut, [C]) };
}

/**
 * y = gamma·(x - mean)/√(variance + epsilon) + beta per feature along `axis`, computed as
 * y = x·inv + (beta - mean·inv) with inv = gamma/√(variance + epsilon). gamma/beta may be null (1 and 0).
 */
export function batchNormForward(
  x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor | null, beta: Tensor | null, axis: number, epsilon: number,
): Tensor {
  const { data, off, A, C, B } = layout(x, axis, 'batchNorm');
  const mu = vector(mean, C, 'batchNorm', 'mean');
  const va = vector(variance, C, 'batchNorm', 'variance');
  const g = gamma && vector(gamma, C, 'batchNorm', 'gamma');
  const bt = beta && vector(beta, C, 'batchNorm', 'beta');
  const out = allocate(x.dtype, x.size);
  for (let c = 0; c < C; c++) {
    const inv = (g ? g.d[g.o + c] : 1) / Math.sqrt(va.d[va.o + c] + epsilon);
    const shift = (bt ? bt.d[bt.o + c] : 0) - mu.d[mu.o + c] * inv;
    for (let a = 0; a < A; a++) {
      for (let b = 0, i = (a * C + c) * B; b < B; b++, i++) out[i] = data[off + i] * inv + shift;
    }
  }
  return new Tensor(out, x.shape.slice());
}

/**
 * The training-mode backward of batch normalization, where mean and variance are the batch's own
 * statistics (so the gradient flows through them). With s = 1/√(variance + epsilon), x̂ = (x - mean)·s
 * and sums over the m elements of each feature:
 * dβ = Σdy, dγ = Σdy·x̂, dx = γ·s·(dy - mean(dy) - x̂·mean(dy·x̂)).
 */
export function batchNormBackward(
  dy: Tensor, x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor | null, axis: number, epsilon: number,
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const X = layout(x, axis, 'batchNormBackward');
  const G = layout(dy, axis, 'batchNormBackward');
  if (dy.size !== x.size) throw new Error(`batchNormBackward: dy ${formatShape(dy.shape)} and x ${formatShape(x.shape)} differ`);
  const { A, C, B } = X;
  const m = A * B;
  const mu = vector(mean, C, 'batchNormBackward', 'mean');
  const va = vector(variance, C, 'batchNormBackward', 'variance');
  const g = gamma && vector(gamma, C, 'batchNormBackward', 'gamma');
  const xd = X.data;
  const gd = G.data;
  const dx = allocate(x.dtype, x.size);
  const dgamma = allocate(x.dtype, C);
  const dbeta = allocate(x.dtype, C);
  for (let c = 0; c < C; c++) {
    const mc = mu.d[mu.o + c];
    const sc = 1 / Math.sqrt(va.d[va.o + c] + epsilon);
    // 1. Σdy and Σdy·x̂ over the feature.
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let a = 0; a < A; a++) {
      for (let b = 0, i = (a * C + c) * B; b < B; b++, i++) {
        const d = gd[G.off + i];
        sumDy += d;
        sumDyXhat += d * (xd[X.off + i] - mc) * sc;
      }
    }
    // 2. dx = γ·s·(dy - Σdy/m - x̂·Σ(dy·x̂)/m).
    const k = (g ? g.d[g.o + c] : 1) * sc;
    const meanDy = sumDy / m;
    const meanDyXhat = sumDyXhat / m;
    for (let a = 0; a < A; a++) {
      for (let b = 0, i = (a * C + c) * B; b < B; b++, i++) {
        const xhat = (xd[X.off + i] - mc) * sc;
        dx[i] = k * (gd[G.off + i] - meanDy - xhat * meanDyXhat);
      }
    }
    dgamma[c] = sumDyXhat;
    dbeta[c] = sumDy;
  }
  return { dx: new Tensor(dx, x.shape.slice()), dgamma: new Tensor(dgamma, [C]), dbeta: new Tensor(dbeta, [C]) };
}
