// The dense op: act(x · W + b) with a fused forward kernel, and a VJP that is a fused kernel off the tapes and written
// with ops (so it differentiates again) under a recording tape.
import { type Tensor, kernels } from '@tapegrad/tensor';
import { defineOp, greater, isRecording, matmul, mul, reshape, square, sub, sum } from '@tapegrad/autograd';
import { type ActivationFn, type ActivationIdentifier, getActivation } from '../activations.js';
import { identifierKey } from '../identifiers.js';

const denseOp = defineOp<kernels.FusedActivation>('dense', {
  forward: ([x, w, b], activation) => kernels.dense(x, w, b ?? null, activation),
  // Off the tapes (a first-order gradient, the usual case) the fused kernel computes the same numbers in one pass
  // and two matrix products; under a recording tape the ops below build a differentiable backward instead.
  vjp: (g, { inputs: [x, w, b], output, attrs: activation, needs }) => {
    if (!isRecording()) {
      const { dx, dw, db } = kernels.denseBackward(g, x, w, output, activation, { x: needs[0], kernel: needs[1], bias: b !== undefined && needs[2] });
      return b === undefined ? [dx, dw] : [dx, dw, db]; // one gradient per input: none for a missing bias
    }
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

/** How dense applies an activation: inside the fused kernel, or after it as its own function. */
type Plan = { readonly fused: kernels.FusedActivation } | { readonly fused: null; readonly act: ActivationFn };

// Plans by activation name, resolved once (a name lookup per call would cost more than a small layer's math).
const plans = new Map<string, Plan>();

function planFor(activation: ActivationIdentifier | null): Plan {
  if (activation === null) return { fused: 'linear' };
  if (typeof activation !== 'string') return { fused: null, act: activation };
  let plan = plans.get(activation);
  if (plan === undefined) {
    const fused = FUSED[identifierKey(activation)];
    plan = fused !== undefined ? { fused } : { fused: null, act: getActivation(activation) };
    plans.set(activation, plan);
  }
  return plan;
}

/**
 * act(x · kernel + bias) for x [..., in], kernel [in, units], bias [units] or null. Linear, relu and tanh
 * run inside the fused kernel; sigmoid and softmax are applied as their own ops so their outputs remember
 * the logits (for the stable cross-entropy); any other activation is applied after.
 * @example `dense(x, kernel, bias, 'relu')`
 */
export function dense(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: ActivationIdentifier | null): Tensor {
  const inputs = bias === null ? [x, kernel] : [x, kernel, bias];
  const plan = planFor(activation);
  return plan.fused !== null ? denseOp(inputs, plan.fused) : plan.act(denseOp(inputs, 'linear'));
}
