// defineOp: the one place where an op's forward and its vector-Jacobian product meet the tape.
import { Tensor } from '@tapegrad/tensor';
import { checkFinite } from './check-numerics.js';
import { isRecording, markConstant, noGrad, record, type VjpFn } from './recorder.js';

/** What a VJP sees of the op call it differentiates. */
export interface OpContext<A, S> {
  /** The op's tensor inputs. */
  readonly inputs: readonly Tensor[];
  /** The op's output. */
  readonly output: Tensor;
  /** The non-tensor arguments the op was called with (axes, shapes, options). */
  readonly attrs: A;
  /** What the forward chose to keep for the backward pass (undefined if nothing). */
  readonly saved: S;
  /** Which inputs want a gradient; the VJP may return null for the others. */
  readonly needs: readonly boolean[];
}

/** A forward result that keeps extra values for the VJP. */
export interface Forward<S> {
  /** The op's output. */
  readonly output: Tensor;
  /** Values the VJP reads through `ctx.saved` (e.g. batch norm's mean and inverse deviation). */
  readonly saved: S;
}

/** The definition of a differentiable op: its forward and its VJP, side by side. */
export interface OpSpec<A, S> {
  /** Computes the output with kernels. Return `{ output, saved }` to keep values for the VJP. */
  forward(inputs: readonly Tensor[], attrs: A): Tensor | Forward<S>;
  /**
   * Vector-Jacobian product: one gradient per input (null for none), given `g`, the gradient of the output.
   * A gradient may have the broadcast shape of its input: it is summed back to the input's shape.
   * Written with differentiable ops, it makes second derivatives work for free.
   * `null` declares the op non-differentiable (argmax, comparisons): its output is a constant.
   */
  vjp: ((g: Tensor, ctx: OpContext<A, S>) => readonly (Tensor | null)[]) | null;
  /**
   * True when the VJP is written with raw kernels (a fused kernel's closed-form gradient): a second
   * derivative through it then fails with a clear error instead of being silently wrong.
   */
  onceDifferentiable?: boolean;
}

/** A differentiable op: runs the forward and records it on every tape that tracks an input. */
export type Op<A> = (inputs: readonly Tensor[], attrs: A) => Tensor;

/**
 * Declares a differentiable op. Built-in ops and users' custom ops are made the same way.
 *
 * @example
 * ```ts
 * // cube(x) = x³ with its gradient 3x² written with ops (so it can be differentiated again)
 * const cubeOp = defineOp<void, void>('cube', {
 *   forward: ([x]) => kernels.mul(kernels.mul(x, x), x),
 *   vjp: (g, { inputs: [x] }) => [mul(g, mul(3, square(x)))],
 * });
 * const cube = (x: Tensor) => cubeOp([x], undefined);
 * ```
 */
export function defineOp<A = void, S = undefined>(name: string, spec: OpSpec<A, S>): Op<A> {
  return (inputs, attrs) => {
    const result = spec.forward(inputs, attrs);
    const plain = result instanceof Tensor;
    // An op whose result is one of its inputs (a no-op reshape, say) still gets an output of its own,
    // so that each tensor has exactly one producing record.
    let output = plain ? result : result.output;
    if (inputs.includes(output)) output = alias(output);
    checkFinite(name, output, inputs);
    if (!isRecording()) return output;
    const vjp = spec.vjp;
    if (vjp === null) {
      markConstant(output, name);
      return output;
    }
    const saved = plain ? (undefined as S) : result.saved;
    const out = output;
    const run: VjpFn = (g, needs) => vjp(g, { inputs, output: out, attrs, saved, needs });
    record(name, inputs, output, spec.onceDifferentiable ? onceOnly(name, inputs, run) : run);
    return output;
  };
}

/**
 * Wraps the VJP of a once-differentiable op: its gradients are computed off the tapes, and any tape that
 * follows the computation gets a record that refuses to be differentiated.
 */
function onceOnly(name: string, inputs: readonly Tensor[], run: VjpFn): VjpFn {
  const refuse: VjpFn = () => {
    throw new Error(
      `${name}: its gradient is computed by a fused kernel and cannot be differentiated again ` +
        '(the op is once-differentiable); compose it from primitive ops if you need higher-order gradients',
    );
  };
  return (g, needs) => {
    const grads = noGrad(() => run(g, needs));
    for (const gi of grads) if (gi) record(`${name}Backward`, [g, ...inputs], gi, refuse);
    return grads;
  };
}

/** A new tensor object viewing the same elements. */
function alias(t: Tensor): Tensor {
  return new Tensor(t.data, t.shape, t.strides, t.offset);
}
