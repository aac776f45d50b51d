// Fused cross-entropy kernels on logits: sigmoid + binary cross-entropy per element, softmax + cross-entropy per row,
// and their gradients in one pass each (TensorFlow's sigmoid/softmax_cross_entropy_with_logits).
import { type TypedArray, allocate } from '../dtype.js';
import { type Shape, formatShape, normalizeAxis, shapesEqual } from '../shape.js';
import { copyToContiguous } from '../strided.js';
import { Tensor } from '../tensor.js';
import { type BinaryLoop, type TernaryLoop, checkSameDType, mapBinary, mapTernary } from './elementwise.js';

// ---- sigmoid + binary cross-entropy, elementwise ----

// l = max(z, 0) - z·y + log(1 + e^-|z|): never exponentiates a positive number, so no overflow for any z.
const sigmoidCrossEntropyLoop: BinaryLoop = (out, o, n, y, yi, ys, z, zi, zs) => {
  for (let i = 0; i < n; i++, yi += ys, zi += zs) {
    const v = z[zi];
    out[o + i] = (v > 0 ? v : 0) - v * y[yi] + Math.log1p(Math.exp(-Math.abs(v)));
  }
};

// dl/dz · g = (sigmoid(z) - y) · g, with the stable sigmoid.
const sigmoidCrossEntropyGradLoop: TernaryLoop = (out, o, n, y, yi, ys, z, zi, zs, g, gi, gs) => {
  for (let i = 0; i < n; i++, yi += ys, zi += zs, gi += gs) {
    const v = z[zi];
    let s: number;
    if (v >= 0) s = 1 / (1 + Math.exp(-v));
    else {
      const e = Math.exp(v);
      s = e / (1 + e);
    }
    out[o + i] = (s - y[yi]) * g[gi];
  }
};

// dl/dy · g = -z · g.
const negProductLoop: BinaryLoop = (out, o, n, z, zi, zs, g, gi, gs) => {
  for (let i = 0; i < n; i++, zi += zs, gi += gs) out[o + i] = -z[zi] * g[gi];
};

/** Throws unless labels and logits have one dtype and one shape. */
function checkOperands(op: string, labels: Tensor, logits: Tensor): void {
  checkSameDType(op, labels, logits);
  if (!shapesEqual(labels.shape, logits.shape)) {
    throw new Error(`${op}: labels ${formatShape(labels.shape)} and logits ${formatShape(logits.shape)} must have the same shape`);
  }
}

/**
 * Binary cross-entropy of `labels` against sigmoid(`logits`), elementwise, computed from the logits:
 * `l = max(z, 0) - z·y + log(1 + e^-|z|)` (= -(y·log σ(z) + (1-y)·log(1-σ(z))), finite for every z).
 * TensorFlow's `sigmoid_cross_entropy_with_logits`.
 * @throws Error when the two differ in shape or dtype.
 * @example
 * ```ts
 * sigmoidCrossEntropy(tensor([1, 0]), tensor([0, 100])); // [ln 2, 100]
 * ```
 */
export function sigmoidCrossEntropy(labels: Tensor, logits: Tensor): Tensor {
  checkOperands('sigmoidCrossEntropy', labels, logits);
  return mapBinary('sigmoidCrossEntropy', labels, logits, sigmoidCrossEntropyLoop);
}

/**
 * The gradients of {@link sigmoidCrossEntropy} times the upstream gradient `g` (its output's shape):
 * `dLogits = (σ(z) - y)·g`, and when `withLabels`, `dLabels = -z·g` (else null).
 * @example
 * ```ts
 * sigmoidCrossEntropyBackward(tensor([1]), tensor([0]), tensor([1])).dLogits; // [-0.5]
 * ```
 */
export function sigmoidCrossEntropyBackward(
  labels: Tensor, logits: Tensor, g: Tensor, withLabels = false,
): { dLogits: Tensor; dLabels: Tensor | null } {
  checkOperands('sigmoidCrossEntropyBackward', labels, logits);
  checkSameDType('sigmoidCrossEntropyBackward', logits, g);
  const dLogits = mapTernary('sigmoidCrossEntropyBackward', labels, logits, g, sigmoidCrossEntropyGradLoop, logits.dtype);
  const dLabels = withLabels ? mapBinary('sigmoidCrossEntropyBackward', logits, g, negProductLoop) : null;
  return { dLogits, dLabels };
}

// ---- softmax + cross-entropy, along one axis ----

/** The logits seen as a row-major block [A, R, B]: R classes along `axis`, A·B rows. */
interface Blocks {
  readonly A: number;
  readonly R: number;
  readonly B: number;
  /** The shape without `axis`: one loss per row. */
  readonly rowShape: number[];
  readonly y: TypedArray;
  readonly yo: number;
  readonly z: TypedArray;
  readonly zo: number;
}

/** Checks the operands, resolves `axis` and gives contiguous data of labels and logits. */
function blocks(op: string, labels: Tensor, logits: Tensor, axis: number): Blocks {
  checkOperands(op, labels, logits);
  const ax = normalizeAxis(axis, logits.rank, op);
  let A = 1;
  let B = 1;
  for (let i = 0; i < ax; i++) A *= logits.shape[i];
  for (let i = ax + 1; i < logits.rank; i++) B *= logits.shape[i];
  const rowShape = logits.shape.filter((_, i) => i !== ax);
  return {
    A, R: logits.shape[ax], B, rowShape,
    y: labels.isContiguous ? labels.data : copyToContiguous(labels), yo: labels.isContiguous ? labels.offset : 0,
    z: logits.isContiguous ? logits.data : copyToContiguous(logits), zo: logits.isContiguous ? logits.offset : 0,
  };
}

/** log Σ_r e^(z[base + r·B]) over one row, shifted by the row's maximum (0 when infinite). */
function rowLogSumExp(z: TypedArray, base: number, R: number, B: number): number {
  let m = -Infinity;
  for (let r = 0, i = base; r < R; r++, i += B) if (z[i] > m) m = z[i];
  if (!Number.isFinite(m)) m = 0;
  let s = 0;
  for (let r = 0, i = base; r < R; r++, i += B) s += Math.exp(z[i] - m);
  return m + Math.log(s);
}

/**
 * Cross-entropy of `labels` against softmax(`logits`) along `axis` (default the last), one value per row:
 * `l = -Σ_c y_c·logSoftmax(z)_c = Σ_c y_c·(lse(z) - z_c)`, with lse the max-shifted log-sum-exp, so no exp
 * overflows. TensorFlow's `softmax_cross_entropy_with_logits`; the result drops `axis` from the shape.
 * Classes with label 0 contribute nothing (even where z = -∞).
 * @throws Error when the two differ in shape or dtype, or `axis` is out of range.
 * @example
 * ```ts
 * softmaxCrossEntropy(tensor([[0, 1]]), tensor([[0, 0]])); // [ln 2]
 * ```
 */
export function softmaxCrossEntropy(labels: Tensor, logits: Tensor, axis = -1): Tensor {
  const { A, R, B, rowShape, y, yo, z, zo } = blocks('softmaxCrossEntropy', labels, logits, axis);
  const out = allocate(logits.dtype, A * B);
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      const base = a * R * B + b;
      const lse = rowLogSumExp(z, zo + base, R, B);
      let l = 0;
      for (let r = 0, i = base; r < R; r++, i += B) {
        const yv = y[yo + i];
        if (yv !== 0) l += yv * (lse - z[zo + i]);
      }
      out[a * B + b] = l;
    }
  }
  return new Tensor(out, rowShape);
}

/**
 * The gradients of {@link softmaxCrossEntropy} times the upstream gradient `g` (one value per row):
 * `dLogits_c = (softmax(z)_c·Σy - y_c)·g`, which is the familiar `softmax(z) - y` when each row of labels
 * sums to 1; when `withLabels`, `dLabels_c = -logSoftmax(z)_c·g` (else null).
 * @throws Error when `g` does not have the loss's shape.
 * @example
 * ```ts
 * softmaxCrossEntropyBackward(tensor([[0, 1]]), tensor([[0, 0]]), tensor([1])).dLogits; // [[0.5, -0.5]]
 * ```
 */
export function softmaxCrossEntropyBackward(
  labels: Tensor, logits: Tensor, g: Tensor, axis = -1, withLabels = false,
): { dLogits: Tensor; dLabels: Tensor | null } {
  const op = 'softmaxCrossEntropyBackward';
  const { A, R, B, rowShape, y, yo, z, zo } = blocks(op, labels, logits, axis);
  checkSameDType(op, logits, g);
  if (!shapesEqual(g.shape, rowShape)) {
    throw new Error(`${op}: the upstream gradient ${formatShape(g.shape)} must have the loss's shape ${formatShape(rowShape as Shape)}`);
  }
  const gd = g.isContiguous ? g.data : copyToContiguous(g);
  const go = g.isContiguous ? g.offset : 0;
  const dz = allocate(logits.dtype, logits.size);
  const dy = withLabels ? allocate(logits.dtype, logits.size) : null;
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      const base = a * R * B + b;
      const gv = gd[go + a * B + b];
      const lse = rowLogSumExp(z, zo + base, R, B);
      let ySum = 0;
      for (let r = 0, i = base; r < R; r++, i += B) ySum += y[yo + i];
      for (let r = 0, i = base; r < R; r++, i += B) {
        const logP = z[zo + i] - lse;
        dz[i] = (Math.exp(logP) * ySum - y[yo + i]) * gv;
        if (dy !== null) dy[i] = -logP * gv;
      }
    }
  }
  return { dLogits: new Tensor(dz, logits.shape), dLabels: dy === null ? null : new Tensor(dy, logits.shape) };
}
