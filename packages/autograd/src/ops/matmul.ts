// matmul: 2-D, batched with broadcasting, and NumPy's vector rules. The VJP is two more matmuls (with transposes),
// so matmul differentiates to any order; backprop sums a broadcast batch gradient back to each operand's shape.
import { type Tensor, formatShape, kernels } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';
import { reshape } from './shape.js';

/** Options of {@link matmul}: use the transpose of the last two axes of `a` or `b` (ignored for a 1-D operand). */
export type MatmulOptions = kernels.MatmulOptions;

interface Flags {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

// C = op(A)·op(B). With g = dC: for C = A·B, dA = g·Bᵀ, dB = Aᵀ·g; for C = Aᵀ·B, dA = B·gᵀ; for C = A·Bᵀ, dB = gᵀ·A;
// for C = Aᵀ·Bᵀ, dA = Bᵀ·gᵀ and dB = gᵀ·Aᵀ. Each is one matmul with flags, never a materialized transpose.
const matmulOp = defineOp<Flags>('matmul', {
  forward: ([a, b], flags) => kernels.matmul(a, b, flags),
  vjp: (g, { inputs: [a, b], attrs: { transposeA: tA, transposeB: tB }, needs }) => [
    needs[0] ? (tA ? matmul(b, g, { transposeA: tB, transposeB: true }) : matmul(g, b, { transposeB: !tB })) : null,
    needs[1] ? (tB ? matmul(g, a, { transposeA: true, transposeB: tA }) : matmul(a, g, { transposeA: !tA })) : null,
  ],
});

/**
 * The matrix product C[..., i, j] = Σₚ A[..., i, p]·B[..., p, j] of the last two axes, the leading (batch) axes
 * broadcast by NumPy's rule. A 1-D `a` is a row vector and a 1-D `b` a column vector, that axis then removed from
 * the result (NumPy). `transposeA` / `transposeB` multiply by the transpose of the last two axes, without copying.
 * Differentiable to any order in both operands.
 * @example
 * ```ts
 * matmul(tensor([[1, 2, 3], [4, 5, 6]]), tensor([[7, 8], [9, 10], [11, 12]])); // [[58, 64], [139, 154]]
 * matmul(x, w, { transposeB: true });                                          // x·wᵀ
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  if (a.rank === 0 || b.rank === 0) {
    throw new Error(`matmul: operands must have at least one axis, got ${formatShape(a.shape)} @ ${formatShape(b.shape)}; scale by a scalar with mul instead`);
  }
  const flags = { transposeA: options.transposeA === true, transposeB: options.transposeB === true };
  if (a.rank >= 2 && b.rank >= 2) return matmulOp([a, b], flags);
  // A vector becomes a [1, k] row or a [k, 1] column (its flag is moot) and its axis is dropped again from C,
  // so the op itself sees matrices only and reshape's VJP takes care of the vector shapes.
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const c = matmulOp([a2, b2], { transposeA: a.rank === 1 ? false : flags.transposeA, transposeB: b.rank === 1 ? false : flags.transposeB });
  const shape = c.shape.slice(0, -2);
  if (a.rank !== 1) shape.push(c.shape[c.rank - 2]);
  if (b.rank !== 1) shape.push(c.shape[c.rank - 1]);
  return reshape(c, shape);
}
