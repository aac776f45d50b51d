// The dense op: act(x · W + b) with a fused forward kernel and a VJP written with ops (so it differentiates again).
import { type Tensor, kernels } from '@tapegrad/tensor';
import { defineOp, greater, matmul, mul, reshape, square, sub, sum } from '@tapegrad/autograd';
import { type ActivationIdentifier, activations, getActivation } from '../activations.js';
import { identifierKey } from '../identifiers.js';

const denseOp = defineOp<kernels.FusedActivation>('dense', {
  forward: ([x, w, b], activation) => kernels.dense(x, w, b ?? null, activation),
  vjp: (g, { inputs: [x, w, b], output, attrs: activation, needs }) => {
    // 1. Through the activation, reading its derivative off the output y.
    const dz =
      activation === 'relu' ? mul(g, greater(output, 0))
      : activation === 'sigmoid' ? mul(g, mul(output, sub(1, output)))
      : activation === 'tanh' ? mul(g, sub(1, square(output)))
      : g;
    // 2. Through x · W + b, with x flattened to rows: dx = dz·Wᵀ, dW = xᵀ·dz, db = Σ_rows dz.
    const units = w.shape[1];
    const dz2 = reshape(dz, [-1, units]);
    const grads = [
      needs[0] ? reshape(matmul(dz2, w, { transposeB: true }), x.shape) : null,
      needs[1] ? matmul(reshape(x, [-1, w.shape[0]]), dz2, { transposeA: true }) : null,
    ];
    if (b !== undefined) grads.push(needs[2] ? sum(dz2, 0) : null); // one gradient per input: none for a missing bias
    return grads;
  },
});

const FUSED: Record<string, kernels.FusedActivation> = { linear: 'linear', relu: 'relu', tanh: 'tanh' };

/**
 * act(x · kernel + bias) for x [..., in], kernel [in, units], bias [units] or null. Linear, relu and tanh
 * run inside the fused kernel; sigmoid and softmax are applied as their own ops so their outputs remember
 * the logits (for the stable cross-entropy); any other activation is applied after.
 * @example `dense(x, kernel, bias, 'relu')`
 */
export function dense(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: ActivationIdentifier | null): Tensor {
  const inputs = bias === null ? [x, kernel] : [x, kernel, bias];
  const key = typeof activation === 'string' ? identifierKey(activation) : activation === null ? 'linear' : null;
  const fused = key === null ? undefined : FUSED[key];
  if (fused !== undefined) return denseOp(inputs, fused);
  const act = activation === null ? activations.linear : getActivation(activation);
  return act(denseOp(inputs, 'linear'));
}
