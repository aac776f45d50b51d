// Softmax and log-softmax along one axis, numerically stable: the maximum along the axis is subtracted before exp.
// The input is seen as a row-major block [A, R, B] (axes before `axis`, the axis, axes after) and walked `for a, for r, for b`.
import { type TypedArray, allocate } from '../dtype.js';
import { normalizeAxis } from '../shape.js';
import { Tensor } from '../tensor.js';
import { copyToContiguous } from '../strided.js';

/**
 * Writes softmax (or, with `log`, log-softmax) of the row-major block [A, R, B] at `data[base ..]` into `out`.
 * Per (a, b): m = max over r (0 when infinite), s = Σ exp(x - m); softmax = exp(x - m) / s, log-softmax = (x - m) - log s.
 */
function softmaxBlock(data: TypedArray, base: number, A: number, R: number, B: number, out: TypedArray, log: boolean): void {
  const e = new Float64Array(R * B); // exp(x - m) of one outer block, kept in float64 until the division
  const m = new Float64Array(B);
  const s = new Float64Array(B);
  for (let a = 0; a < A; a++) {
    const start = base + a * R * B;
    const o = a * R * B;
    if (B === 1) {
      let mx = -Infinity;
      for (let r = 0; r < R; r++) if (data[start + r] > mx) mx = data[start + r];
      if (!Number.isFinite(mx)) mx = 0;
      let sum = 0;
      for (let r = 0; r < R; r++) sum += e[r] = Math.exp(data[start + r] - mx);
      if (log) {
        const ls = Math.log(sum);
        for (let r = 0; r < R; r++) out[o + r] = data[start + r] - mx - ls;
      } else for (let r = 0; r < R; r++) out[o + r] = e[r] / sum;
      continue;
    }
    m.fill(-Infinity);
    s.fill(0);
    for (let r = 0, i = start; r < R; r++) for (let b = 0; b < B; b++, i++) if (data[i] > m[b]) m[b] = data[i];
    for (let b = 0; b < B; b++) if (!Number.isFinite(m[b])) m[b] = 0;
    for (let r = 0, i = start, j = 0; r < R; r++) for (let b = 0; b < B; b++, i++, j++) s[b] += e[j] = Math.exp(data[i] - m[b]);
    if (log) {
      for (let b = 0; b < B; b++) s[b] = Math.log(s[b]);
      for (let r = 0, i = start, j = o; r < R; r++) for (let b = 0; b < B; b++, i++, j++) out[j] = data[i] - m[b] - s[b];
    } else {
      for (let r = 0, j = 0; r < R; r++) for (let b = 0; b < B; b++, j++) out[o + j] = e[j] / s[b];
    }
  }
}

/** Resolves `axis`, makes the data row-major (copying a non-contiguous view) and runs the block loop. */
function softmaxAlong(op: string, x: Tensor, axis: number, log: boolean): Tensor {
  const ax = normalizeAxis(axis, x.rank, op);
  let A = 1;
  let B = 1;
  for (let i = 0; i < ax; i++) A *= x.shape[i];
  for (let i = ax + 1; i < x.rank; i++) B *= x.shape[i];
  const data = x.isContiguous ? x.data : copyToContiguous(x);
  const out = allocate(x.dtype, x.size);
  if (x.size > 0) softmaxBlock(data, x.isContiguous ? x.offset : 0, A, x.shape[ax], B, out, log);
  return new Tensor(out, x.shape);
}

/**
 * The softmax along `axis` (default: the last): softmax(x)ᵢ = exp(xᵢ - m) / Σⱼ exp(xⱼ - m), with m = maxⱼ xⱼ
 * so that no exp overflows. Each slice along the axis sums to 1.
 * @throws Error when `axis` is out of range (a scalar has no axes).
 * @example
 * ```ts
 * softmax(tensor([0, Math.LN2]));              // [1/3, 2/3]
 * softmax(tensor([[1, 1], [0, 0]]), 0);        // [[0.731, 0.731], [0.269, 0.269]]
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return softmaxAlong('softmax', x, axis, false);
}

/**
 * The log of the softmax along `axis` (default: the last), computed directly for accuracy:
 * logSoftmax(x)ᵢ = xᵢ - m - log Σⱼ exp(xⱼ - m), with m = maxⱼ xⱼ.
 * @throws Error when `axis` is out of range (a scalar has no axes).
 * @example
 * ```ts
 * logSoftmax(tensor([0, Math.LN2]));     // [-ln 3, ln 2 - ln 3] ≈ [-1.0986, -0.4055]
 * logSoftmax(tensor([-1000, -1001]));    // [-0.3133, -1.3133], finite
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return softmaxAlong('logSoftmax', x, axis, true);
}
