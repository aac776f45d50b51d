// Reductions over any set of axes, with keepDims: forward kernel and VJP side by side.
// Every VJP first puts the reduced axes back as 1s (keptShape), then broadcasts over them.
import { type Shape, type TypedArray, Tensor, allocate, kernels, normalizeAxes } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';
import { div, equal, mul, sub } from './binary.js';
import { broadcastTo, reshape } from './shape.js';
import { exp } from './unary.js';

/** The attributes of a reduction: sorted non-negative axes, and whether they stay as length-1 axes. */
export interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

/** `shape` with the reduced axes set to 1: the keepDims shape of a reduction. */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** A reduction's output (or its gradient) reshaped to keep the reduced axes as 1s, so it broadcasts against x. */
function unreduce(t: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return reshape(t, keptShape(x.shape, axes));
}

/** The number of elements each output of the reduction summarizes. */
function countOf(x: Tensor, axes: readonly number[]): number {
  return axes.reduce((n, a) => n * x.shape[a], 1);
}

const sumOp = defineOp<ReduceAttrs>('sum', {
  forward: ([x], { axes, keepDims }) => kernels.sum(x, axes, keepDims),
  vjp: (g, { inputs: [x], attrs: { axes } }) => [broadcastTo(unreduce(g, x, axes), x.shape)],
});

const meanOp = defineOp<ReduceAttrs>('mean', {
  forward: ([x], { axes, keepDims }) => kernels.mean(x, axes, keepDims),
  vjp: (g, { inputs: [x], attrs: { axes } }) => [broadcastTo(div(unreduce(g, x, axes), countOf(x, axes)), x.shape)],
});

// max and min: the gradient is shared equally among the elements that attain the extreme (TensorFlow's rule).
const extremeVjp = (g: Tensor, { inputs: [x], output, attrs: { axes } }: { inputs: readonly Tensor[]; output: Tensor; attrs: ReduceAttrs }) => {
  const hits = equal(x, unreduce(output, x, axes));
  const share = div(hits, kernels.sum(hits, axes, true));
  return [mul(unreduce(g, x, axes), share)];
};
const maxOp = defineOp<ReduceAttrs>('max', { forward: ([x], { axes, keepDims }) => kernels.max(x, axes, keepDims), vjp: extremeVjp });
const minOp = defineOp<ReduceAttrs>('min', { forward: ([x], { axes, keepDims }) => kernels.min(x, axes, keepDims), vjp: extremeVjp });

const varianceOp = defineOp<ReduceAttrs>('variance', {
  forward: ([x], { axes, keepDims }) => kernels.variance(x, axes, keepDims),
  // d/dx mean((x - m)²) = 2(x - m)/n; the term through m sums to zero
  vjp: (g, { inputs: [x], attrs: { axes } }) => [
    mul(unreduce(g, x, axes), mul(sub(x, mean(x, axes, true)), 2 / countOf(x, axes))),
  ],
});

const logSumExpOp = defineOp<ReduceAttrs>('logSumExp', {
  forward: ([x], { axes, keepDims }) => kernels.logSumExp(x, axes, keepDims),
  vjp: (g, { inputs: [x], output, attrs: { axes } }) => [mul(unreduce(g, x, axes), exp(sub(x, unreduce(output, x, axes))))],
});

// prod: dx = g·prod/x when x has no zeros (differentiable again through the output); with a zero anywhere,
// g·(product of the other elements of the slice), computed exactly by prodOthers below.
const prodOp = defineOp<ReduceAttrs>('prod', {
  forward: ([x], { axes, keepDims }) => kernels.prod(x, axes, keepDims),
  vjp: (g, { inputs: [x], output, attrs: { axes } }) => {
    const others = hasZero(x) ? prodOthersOp([x], axes) : div(unreduce(output, x, axes), x);
    return [mul(unreduce(g, x, axes), others)];
  },
});

/** x viewed as contiguous rows [A, R]: the kept axes first, the reduced axes (R elements) last. */
function toRows(x: Tensor, axes: readonly number[]): { rows: TypedArray; R: number; perm: number[] } {
  const perm = [...x.shape.keys()].filter((a) => !axes.includes(a)).concat(axes);
  return { rows: kernels.transpose(x, perm).toTypedArray(), R: countOf(x, axes), perm };
}

/** The inverse of {@link toRows}: rows laid out as [kept..., reduced...] back in x's axis order. */
function fromRows(rows: TypedArray, x: Tensor, perm: readonly number[]): Tensor {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return kernels.transpose(new Tensor(rows, perm.map((p) => x.shape[p])), inverse);
}

/** out[base + i] = Π_{k ≠ i, k ≠ skip} row[base + k], exactly (prefix and suffix products, no division). */
function othersOfRow(row: TypedArray, base: number, R: number, skip: number, out: Float64Array): void {
  let p = 1;
  for (let r = 0; r < R; r++) {
    out[r] = p;
    if (r !== skip) p *= row[base + r];
  }
  p = 1;
  for (let r = R - 1; r >= 0; r--) {
    out[r] *= p;
    if (r !== skip) p *= row[base + r];
  }
}

// The product of the other elements of each element's slice: prod's gradient factor when zeros make prod/x useless.
// Its VJP, Σ_{i≠j} hᵢ·Π_{k∉{i,j}} xₖ, is one more exact loop, so prod's second derivative works with zeros too;
// a third derivative through it throws (once-differentiable).
const prodOthersOp = defineOp<readonly number[]>('prodOthers', {
  forward: ([x], axes) => {
    const { rows, R, perm } = toRows(x, axes);
    const tmp = new Float64Array(R);
    for (let base = 0; base < rows.length; base += R) {
      othersOfRow(rows, base, R, -1, tmp);
      rows.set(tmp, base);
    }
    return fromRows(rows, x, perm);
  },
  vjp: (h, { inputs: [x], attrs: axes }) => {
    const { rows, R, perm } = toRows(x, axes);
    const hs = toRows(h, axes).rows;
    const out = allocate(x.dtype, rows.length);
    const tmp = new Float64Array(R);
    for (let base = 0; base < rows.length; base += R) {
      for (let j = 0; j < R; j++) {
        othersOfRow(rows, base, R, j, tmp); // tmp[i] = Π_{k∉{i,j}} x_k
        let s = 0;
        for (let i = 0; i < R; i++) if (i !== j) s += hs[base + i] * tmp[i];
        out[base + j] = s;
      }
    }
    return [fromRows(out, x, perm)];
  },
  onceDifferentiable: true,
});

/** True when some element of `t` is zero. */
function hasZero(t: Tensor): boolean {
  const flat = t.toTypedArray();
  for (let i = 0; i < flat.length; i++) if (flat[i] === 0) return true;
  return false;
}

const argmaxOp = defineOp<number | undefined>('argmax', { forward: ([x], axis) => kernels.argmax(x, axis), vjp: null });
const argminOp = defineOp<number | undefined>('argmin', { forward: ([x], axis) => kernels.argmin(x, axis), vjp: null });

type Axes = number | readonly number[];
const attrs = (x: Tensor, axes: Axes | undefined, keepDims: boolean, op: string): ReduceAttrs => ({
  axes: normalizeAxes(axes, x.rank, op),
  keepDims,
});

/**
 * Sum over `axes` (default: all). With `keepDims` the reduced axes stay as length 1.
 * @example `sum(tensor([[1, 2], [3, 4]]), 0)` is [4, 6]
 */
export const sum = (x: Tensor, axes?: Axes, keepDims = false): Tensor => sumOp([x], attrs(x, axes, keepDims, 'sum'));
/** Arithmetic mean over `axes` (default: all). */
export const mean = (x: Tensor, axes?: Axes, keepDims = false): Tensor => meanOp([x], attrs(x, axes, keepDims, 'mean'));
/** Maximum over `axes`; ties share the gradient equally. */
export const max = (x: Tensor, axes?: Axes, keepDims = false): Tensor => maxOp([x], attrs(x, axes, keepDims, 'max'));
/** Minimum over `axes`; ties share the gradient equally. */
export const min = (x: Tensor, axes?: Axes, keepDims = false): Tensor => minOp([x], attrs(x, axes, keepDims, 'min'));
/**
 * Product over `axes` (default: all): Π xᵢ. The gradient is prod/xᵢ, or exactly the product of the other
 * elements when the input holds zeros (so second derivatives work there too; a third one through zeros throws).
 * @example `prod(tensor([[1, 2], [3, 4]]), 0)` is [3, 8]
 */
export const prod = (x: Tensor, axes?: Axes, keepDims = false): Tensor => prodOp([x], attrs(x, axes, keepDims, 'prod'));
/** Biased variance mean((x - mean)²) over `axes`, as Keras and NumPy compute it. */
export const variance = (x: Tensor, axes?: Axes, keepDims = false): Tensor =>
  varianceOp([x], attrs(x, axes, keepDims, 'variance'));
/** log(Σ e^x) over `axes`, computed stably; its gradient is softmax over those axes. */
export const logSumExp = (x: Tensor, axes?: Axes, keepDims = false): Tensor =>
  logSumExpOp([x], attrs(x, axes, keepDims, 'logSumExp'));
/** Index of the maximum along `axis` (default: over all elements). Not differentiable. */
export const argmax = (x: Tensor, axis?: number): Tensor => argmaxOp([x], axis);
/** Index of the minimum along `axis` (default: over all elements). Not differentiable. */
export const argmin = (x: Tensor, axis?: number): Tensor => argminOp([x], axis);
