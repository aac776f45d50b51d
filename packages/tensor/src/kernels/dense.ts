// The fused dense layer: y = act(x · W + b) as one matrix product and one pass for bias and activation, and its
// backward as one pass through the activation and two matrix products with transpose flags.
import { allocate } from '../dtype.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { copyToContiguous } from '../strided.js';
import { checkSameDType } from './elementwise.js';
import { gemm } from './gemm.js';
import { matmul } from './matmul.js';
import { sum } from './reduce.js';
import { reluOf } from './special.js';
import { activationGrad } from './unary.js';
import { reshape } from './views.js';

/** The activations the fused dense kernel applies itself; others are applied after it as separate ops. */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** The fused activations, for callers deciding whether to fuse. */
export const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh'];

/**
 * act(x · W + b) for x of shape [..., in], W [in, units], b [units] (or null): one gemm, then one pass
 * over the result adding the bias and applying the activation.
 * @throws Error naming the shapes when they do not fit.
 * @example `dense(x, w, b, 'relu')` equals `relu(add(matmul(x, w), b))`
 */
export function dense(x: Tensor, w: Tensor, b: Tensor | null, activation: FusedActivation = 'linear'): Tensor {
  checkSameDType('dense', x, w);
  if (b) checkSameDType('dense', x, b);
  const inDim = x.shape[x.rank - 1];
  if (x.rank < 1 || w.rank !== 2 || w.shape[0] !== inDim || (b !== null && (b.rank !== 1 || b.shape[0] !== w.shape[1]))) {
    throw new Error(
      `dense: shapes do not fit: x ${formatShape(x.shape)}, kernel ${formatShape(w.shape)}, bias ${b ? formatShape(b.shape) : 'none'}; ` +
        'need x [..., in], kernel [in, units], bias [units]',
    );
  }
  const units = w.shape[1];
  const rows = x.size / Math.max(inDim, 1);
  const xd = x.isContiguous ? x.data : copyToContiguous(x);
  const xo = x.isContiguous ? x.offset : 0;
  const wd = w.isContiguous ? w.data : copyToContiguous(w);
  const wo = w.isContiguous ? w.offset : 0;
  const out = allocate(x.dtype, rows * units);
  gemm(false, false, rows, units, inDim, xd, xo, inDim, wd, wo, units, out, 0, units, false);
  const bd = b === null ? null : b.isContiguous ? b.data : copyToContiguous(b);
  const bo = b === null || !b.isContiguous ? 0 : b.offset;
  if (activation === 'relu') {
    if (bd === null) for (let i = 0; i < out.length; i++) out[i] = reluOf(out[i]);
    else for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < units; j++, i++) out[i] = reluOf(out[i] + bd[bo + j]);
  } else if (activation !== 'sigmoid' && activation !== 'tanh') {
    if (bd !== null) for (let r = 0, i = 0; r < rows; r++) for (let j = 0; j < units; j++, i++) out[i] += bd[bo + j];
  } else {
    // sigmoid and tanh read the sum before it is rounded to the dtype
    for (let r = 0, i = 0; r < rows; r++) {
      for (let j = 0; j < units; j++, i++) {
        const z = bd === null ? out[i] : out[i] + bd[bo + j];
        out[i] = activation === 'sigmoid' ? sigmoid(z) : Math.tanh(z);
      }
    }
  }
  return new Tensor(out, [...x.shape.slice(0, -1), units]);
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Which gradients {@link denseBackward} computes. */
export interface DenseGradNeeds {
  readonly x: boolean;
  readonly kernel: boolean;
  readonly bias: boolean;
}

/**
 * The backward of {@link dense} given y = act(x · W + b) and g = dL/dy, in three steps: dz = g·act'(y) in one
 * pass (act' read off y: relu 1[y > 0], sigmoid y(1 - y), tanh 1 - y²), then dx = dz·Wᵀ and dW = xᵀ·dz as matrix
 * products with transpose flags (no transposed copies), and db = Σ_rows dz. Gradients not in `needs` are null.
 * Each intermediate is rounded to the dtype as the unfused ops would round it, so the results are the same.
 * @example `denseBackward(g, x, w, y, 'relu', { x: false, kernel: true, bias: true }).dw` is xᵀ·(g·1[y > 0])
 */
export function denseBackward(
  g: Tensor, x: Tensor, w: Tensor, y: Tensor, activation: FusedActivation, needs: DenseGradNeeds,
): { dx: Tensor | null; dw: Tensor | null; db: Tensor | null } {
  const units = w.shape[1];
  const dz = reshape(activationGrad(g, y, activation), [-1, units]);
  return {
    dx: needs.x ? reshape(matmul(dz, w, { transposeB: true }), x.shape) : null,
    dw: needs.kernel ? matmul(reshape(x, [-1, w.shape[0]]), dz, { transposeA: true }) : null,
    db: needs.bias ? sum(dz, 0) : null,
  };
}
