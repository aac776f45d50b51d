// Reductions along axes: sum, mean, prod, max, min, variance, moments, logSumExp, argmax and argmin.
// Each sees its input as a block [A, R, B] (kept axes before the reduced run, the run, kept axes after) and
// runs one loop nest over it, `for a, for r, for b`, so that the innermost loop walks the smallest stride.
import { type TypedArray, allocate } from '../dtype.js';
import { type Shape, contiguousStrides, formatShape, normalizeAxes, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { copyToContiguous } from '../strided.js';
import { transpose } from './views.js';

/**
 * A reduction's input as a block: element (a, r, b) is `data[base + a*sA + r*sR + b*sB]`, and the
 * result, row-major with A·B elements, gets one value per (a, b).
 */
interface Block {
  readonly data: TypedArray;
  readonly base: number;
  readonly A: number; readonly R: number; readonly B: number; // extents
  readonly sA: number; readonly sR: number; readonly sB: number; // strides
}

/** A block plus what the public functions need to report and shape the result. */
interface Plan extends Block {
  readonly shape: number[];
  readonly axes: number[];
}

/**
 * Groups the axes of a view, taken in memory order (largest stride first), into [A, R, B] when that needs
 * no copy: the reduced axes form one run, the kept axes keep their order (so the result is row-major),
 * and each group merges into one stride. With `ordered`, the reduced axes must keep their order too
 * (argmax over a flattened tensor counts r in row-major order). Axes of length 1 are ignored.
 */
function group(
  data: TypedArray, offset: number, shape: Shape, strides: Shape, reduced: readonly boolean[], ordered: boolean,
): Block | undefined {
  const live: number[] = [];
  let sorted = true; // already in memory order, as in every contiguous tensor
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] <= 1) continue;
    if (live.length > 0 && Math.abs(strides[i]) > Math.abs(strides[live[live.length - 1]])) sorted = false;
    live.push(i);
  }
  if (!sorted) live.sort((p, q) => Math.abs(strides[q]) - Math.abs(strides[p]) || p - q);
  const dims = [1, 1, 1];
  const st = [0, 0, 0];
  let g = 0;
  let lastKept = -1;
  let lastReduced = -1;
  for (const i of live) {
    if (reduced[i]) {
      if (g === 2 || (ordered && i < lastReduced)) return undefined;
      g = 1;
      lastReduced = i;
    } else {
      if (i < lastKept) return undefined;
      if (g === 1) g = 2;
      lastKept = i;
    }
    if (dims[g] > 1 && st[g] !== strides[i] * shape[i]) return undefined;
    st[g] = strides[i];
    dims[g] *= shape[i];
  }
  return { data, base: offset, A: dims[0], R: dims[1], B: dims[2], sA: st[0], sR: st[1], sB: st[2] };
}

/** Resolves the axes and lays `x` out as a block, reading the view in place when it can and copying otherwise. */
function plan(op: string, x: Tensor, axes: number | readonly number[] | undefined, keepDims: boolean, ordered = false): Plan {
  const ax = normalizeAxes(axes, x.rank, op);
  const reduced = new Array<boolean>(x.rank).fill(false);
  for (const a of ax) reduced[a] = true;
  const shape: number[] = [];
  for (let i = 0; i < x.rank; i++) if (keepDims || !reduced[i]) shape.push(reduced[i] ? 1 : x.shape[i]);
  let R = 1;
  for (const a of ax) R *= x.shape[a];
  if (x.size === 0) return { data: x.data, base: 0, A: sizeOf(shape), R, B: 1, sA: 0, sR: 0, sB: 0, shape, axes: ax };
  const direct = group(x.data, x.offset, x.shape, x.strides, reduced, ordered);
  if (direct) return planOf(direct, shape, ax);
  // Copy: in place order when the reduced axes are adjacent, else with the kept axes moved in front of them.
  const all = x.shape.map((_, i) => i);
  const adjacent = ax.length === 0 || ax[ax.length - 1] - ax[0] === ax.length - 1;
  const perm = adjacent ? all : [...all.filter((i) => !reduced[i]), ...ax];
  const y = transpose(x, perm);
  const block = group(copyToContiguous(y), 0, y.shape, contiguousStrides(y.shape), perm.map((i) => reduced[i]), ordered);
  return planOf(block!, shape, ax);
}

/** A block with the result's shape and axes, built field by field (an object spread makes a slow, shapeless object). */
function planOf(k: Block, shape: number[], axes: number[]): Plan {
  return { data: k.data, base: k.base, A: k.A, R: k.R, B: k.B, sA: k.sA, sR: k.sR, sB: k.sB, shape, axes };
}

/** Throws for max, min, argmax and argmin over an empty run that still has outputs to fill. */
function checkNonEmpty(op: string, x: Tensor, p: Plan): void {
  if (p.R === 0 && p.A * p.B > 0) {
    throw new Error(
      `${op}: cannot reduce shape ${formatShape(x.shape)} over axes [${p.axes.join(', ')}]: the reduced axes are empty ` +
        `and ${op} has no identity; reduce over non-empty axes`,
    );
  }
}

/** Plans the reduction, checks emptiness for ops without an identity, and runs `loop` into a new tensor of x's dtype. */
function run(
  op: string, x: Tensor, axes: number | readonly number[] | undefined, keepDims: boolean,
  loop: (k: Block, out: TypedArray) => void, hasIdentity = true, ordered = false,
): Tensor {
  const p = plan(op, x, axes, keepDims, ordered);
  if (!hasIdentity) checkNonEmpty(op, x, p);
  const out = allocate(x.dtype, p.A * p.B);
  loop(p, out);
  return new Tensor(out, p.shape);
}

// The loops. Each writes one value per (a, b) into `out` (row-major, A·B), accumulating in float64.

function sumBlock(k: Block, out: TypedArray, divisor: number): void {
  const { data, A, R, B, sA, sR, sB } = k;
  if (B === 1) {
    // Four partial sums, so the additions do not wait on each other.
    for (let a = 0; a < A; a++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let r = 0;
      let i = k.base + a * sA;
      for (; r + 3 < R; r += 4, i += 4 * sR) {
        s0 += data[i];
        s1 += data[i + sR];
        s2 += data[i + 2 * sR];
        s3 += data[i + 3 * sR];
      }
      for (; r < R; r++, i += sR) s0 += data[i];
      out[a] = (s0 + s1 + (s2 + s3)) / divisor;
    }
    return;
  }
  const acc = new Float64Array(B);
  for (let a = 0; a < A; a++) {
    acc.fill(0);
    let r = 0;
    // Four rows at a time: one read and write of the accumulator per four elements.
    for (; r + 3 < R; r += 4) {
      for (let b = 0, i = k.base + a * sA + r * sR; b < B; b++, i += sB) {
        acc[b] += data[i] + data[i + sR] + data[i + 2 * sR] + data[i + 3 * sR];
      }
    }
    for (; r < R; r++) for (let b = 0, i = k.base + a * sA + r * sR; b < B; b++, i += sB) acc[b] += data[i];
    for (let b = 0; b < B; b++) out[a * B + b] = acc[b] / divisor;
  }
}

function prodBlock(k: Block, out: TypedArray): void {
  const { data, A, R, B, sA, sR, sB } = k;
  if (B === 1) {
    for (let a = 0; a < A; a++) {
      let s = 1;
      for (let r = 0, i = k.base + a * sA; r < R; r++, i += sR) s *= data[i];
      out[a] = s;
    }
    return;
  }
  const acc = new Float64Array(B);
  for (let a = 0; a < A; a++) {
    acc.fill(1);
    for (let r = 0; r < R; r++) {
      for (let b = 0, i = k.base + a * sA + r * sR; b < B; b++, i += sB) acc[b] *= data[i];
    }
    out.set(acc, a * B);
  }
}

/** max (sign 1) or min (sign -1): the largest of sign·x, with NaN winning once seen. */
function extremeBlock(k: Block, out: TypedArray, sign: number): void {
  const { data, A, R, B, sA, sR, sB } = k;
  if (B === 1) {
    for (let a = 0; a < A; a++) {
      let m = -Infinity;
      for (let r = 0, i = k.base + a * sA; r < R; r++, i += sR) {
        const v = sign * data[i];
        if (v > m || v !== v) m = v;
      }
      out[a] = sign * m;
    }
    return;
  }
  const acc = new Float64Array(B);
  for (let a = 0; a < A; a++) {
    acc.fill(-Infinity);
    for (let r = 0; r < R; r++) {
      for (let b = 0, i = k.base + a * sA + r * sR; b < B; b++, i += sB) {
        const v = sign * data[i];
        if (v > acc[b] || v !== v) acc[b] = v;
      }
    }
    for (let b = 0; b < B; b++) out[a * B + b] = sign * acc[b];
  }
}

/** argmax (sign 1) or argmin (sign -1): the first r with the largest sign·x, or the first NaN. */
function argBlock(k: Block, out: TypedArray, sign: number): void {
  const { data, A, R, B, sA, sR, sB } = k;
  if (B === 1) {
    for (let a = 0; a < A; a++) {
      let m = -Infinity;
      let at = 0;
      for (let r = 0, i = k.base + a * sA; r < R; r++, i += sR) {
        const v = sign * data[i];
        if (v > m || (v !== v && m === m)) {
          m = v;
          at = r;
        }
      }
      out[a] = at;
    }
    return;
  }
  const best = new Float64Array(B);
  const at = new Float64Array(B);
  for (let a = 0; a < A; a++) {
    best.fill(-Infinity);
    at.fill(0);
    for (let r = 0; r < R; r++) {
      for (let b = 0, i = k.base + a * sA + r * sR; b < B; b++, i += sB) {
        const v = sign * data[i];
        const m = best[b];
        if (v > m || (v !== v && m === m)) {
          best[b] = v;
          at[b] = r;
        }
      }
    }
    out.set(at, a * B);
  }
}

/** Two passes: the means (by sumBlock, in float64), then the mean squared deviation from them. */
function momentsBlock(k: Block, mean: TypedArray, variance: TypedArray): void {
  const { data, A, R, B, sA, sR, sB } = k;
  const mu = new Float64Array(A * B);
  sumBlock(k, mu, R);
  mean.set(mu);
  if (B === 1) {
    for (let a = 0; a < A; a++) {
      const m = mu[a];
      let q = 0;
      for (let r = 0, i = k.base + a * sA; r < R; r++, i += sR) q += (data[i] - m) * (data[i] - m);
      variance[a] = q / R;
    }
    return;
  }
  const q = new Float64Array(B);
  for (let a = 0; a < A; a++) {
    const o = a * B;
    q.fill(0);
    for (let r = 0; r < R; r++) {
      for (let b = 0, i = k.base + a * sA + r * sR; b < B; b++, i += sB) {
        const d = data[i] - mu[o + b];
        q[b] += d * d;
      }
    }
    for (let b = 0; b < B; b++) variance[o + b] = q[b] / R;
  }
}

/** log Σ exp x as m + log Σ exp(x - m), m the maximum (0 when infinite, so ±∞ come out right). */
function logSumExpBlock(k: Block, out: TypedArray): void {
  const { data, A, R, B, sA, sR, sB } = k;
  if (B === 1) {
    for (let a = 0; a < A; a++) {
      const start = k.base + a * sA;
      let m = -Infinity;
      for (let r = 0, i = start; r < R; r++, i += sR) if (data[i] > m) m = data[i];
      if (!Number.isFinite(m)) m = 0;
      let s = 0;
      for (let r = 0, i = start; r < R; r++, i += sR) s += Math.exp(data[i] - m);
      out[a] = m + Math.log(s);
    }
    return;
  }
  const m = new Float64Array(B);
  const s = new Float64Array(B);
  for (let a = 0; a < A; a++) {
    const start = k.base + a * sA;
    m.fill(-Infinity);
    s.fill(0);
    for (let r = 0; r < R; r++) for (let b = 0, i = start + r * sR; b < B; b++, i += sB) if (data[i] > m[b]) m[b] = data[i];
    for (let b = 0; b < B; b++) if (!Number.isFinite(m[b])) m[b] = 0;
    for (let r = 0; r < R; r++) for (let b = 0, i = start + r * sR; b < B; b++, i += sB) s[b] += Math.exp(data[i] - m[b]);
    for (let b = 0; b < B; b++) out[a * B + b] = m[b] + Math.log(s[b]);
  }
}

/**
 * The sum over `axes` (all of them when undefined), accumulated in float64: Σᵢ xᵢ. The sum of nothing is 0.
 * @throws Error for an out-of-range or repeated axis.
 * @example
 * ```ts
 * sum(tensor([[1, 2, 3], [4, 5, 6]]), 0);        // [5, 7, 9]
 * sum(tensor([[1, 2, 3], [4, 5, 6]]), -1, true); // [[6], [15]]
 * ```
 */
export function sum(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return run('sum', x, axes, keepDims, (k, out) => sumBlock(k, out, 1));
}

/**
 * The arithmetic mean over `axes`: (Σᵢ xᵢ) / n. The mean of nothing is NaN, as in NumPy.
 * @example
 * ```ts
 * mean(tensor([[1, 2], [3, 4]]), 1); // [1.5, 3.5]
 * ```
 */
export function mean(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return run('mean', x, axes, keepDims, (k, out) => sumBlock(k, out, k.R));
}

/**
 * The product over `axes`, accumulated in float64: Πᵢ xᵢ. The product of nothing is 1.
 * @example
 * ```ts
 * prod(tensor([[1, 2], [3, 4]]), 0); // [3, 8]
 * ```
 */
export function prod(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return run('prod', x, axes, keepDims, prodBlock);
}

/**
 * The largest element over `axes`: maxᵢ xᵢ. NaN if any element is NaN, as in NumPy.
 * @throws Error when a reduced axis is empty (max has no identity).
 * @example
 * ```ts
 * max(tensor([[1, 5], [7, 2]]), 1); // [5, 7]
 * ```
 */
export function max(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return run('max', x, axes, keepDims, (k, out) => extremeBlock(k, out, 1), false);
}

/**
 * The smallest element over `axes`: minᵢ xᵢ. NaN if any element is NaN, as in NumPy.
 * @throws Error when a reduced axis is empty (min has no identity).
 * @example
 * ```ts
 * min(tensor([[1, 5], [7, 2]]), 1); // [1, 2]
 * ```
 */
export function min(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return run('min', x, axes, keepDims, (k, out) => extremeBlock(k, out, -1), false);
}

/**
 * The mean and the (biased) variance over `axes` in one call: μ = Σ x / n, σ² = Σ (x - μ)² / n,
 * by two passes over the data for accuracy. Both are NaN over an empty set.
 * @example
 * ```ts
 * const { mean, variance } = moments(tensor([[1, 2], [3, 5]]), 0); // mean [2, 3.5], variance [1, 2.25]
 * ```
 */
export function moments(x: Tensor, axes?: number | readonly number[], keepDims = false): { mean: Tensor; variance: Tensor } {
  return momentsOf('moments', x, axes, keepDims);
}

/**
 * The biased variance over `axes` (divided by the count, as NumPy's default and Keras'): Σ (x - μ)² / n.
 * @example
 * ```ts
 * variance(tensor([1, 2, 3, 4])); // 1.25
 * ```
 */
export function variance(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return momentsOf('variance', x, axes, keepDims).variance;
}

function momentsOf(
  op: string, x: Tensor, axes: number | readonly number[] | undefined, keepDims: boolean,
): { mean: Tensor; variance: Tensor } {
  const p = plan(op, x, axes, keepDims);
  const m = allocate(x.dtype, p.A * p.B);
  const v = allocate(x.dtype, p.A * p.B);
  momentsBlock(p, m, v);
  return { mean: new Tensor(m, p.shape), variance: new Tensor(v, p.shape) };
}

/**
 * log Σ exp x over `axes`, computed stably as m + log Σ exp(x - m) with m the maximum. Over nothing it is -∞.
 * @example
 * ```ts
 * logSumExp(tensor([1000, 1000])); // 1000 + ln 2 ≈ 1000.693
 * ```
 */
export function logSumExp(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return run('logSumExp', x, axes, keepDims, logSumExpBlock);
}

/**
 * The index of the largest element along `axis` (over the flattened tensor, giving a scalar, when undefined),
 * as numbers of `x`'s dtype. Ties go to the first occurrence; a NaN counts as the largest (the first NaN wins).
 * @throws Error when the axis is empty.
 * @example
 * ```ts
 * argmax(tensor([[1, 9, 9], [4, 0, 2]]), 1); // [1, 0]
 * argmax(tensor([[1, 9], [4, 0]]));          // 1 (flat index)
 * ```
 */
export function argmax(x: Tensor, axis?: number): Tensor {
  return run('argmax', x, axis, false, (k, out) => argBlock(k, out, 1), false, true);
}

/**
 * The index of the smallest element along `axis` (over the flattened tensor when undefined); like {@link argmax}.
 * @throws Error when the axis is empty.
 * @example
 * ```ts
 * argmin(tensor([[1, 9, 0], [4, 0, 0]]), 1); // [2, 1]
 * ```
 */
export function argmin(x: Tensor, axis?: number): Tensor {
  return run('argmin', x, axis, false, (k, out) => argBlock(k, out, -1), false, true);
}

