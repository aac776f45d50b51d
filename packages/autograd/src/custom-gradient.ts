// customGradient: a user-defined op from a forward computation and a hand-written gradient (tf.custom_gradient).
import { Tensor } from '@tapegrad/tensor';
import { checkFinite } from './check-numerics.js';
import { noGrad, record } from './recorder.js';

/** What the function given to {@link customGradient} returns: its value and the gradient function. */
export interface CustomGradientResult {
  /** The op's output. */
  value: Tensor;
  /**
   * Maps the output's gradient `dy` to one gradient per input (a single tensor for a one-input op; null for
   * none). Written with differentiable ops, it can itself be differentiated.
   */
  gradFunc: (dy: Tensor) => Tensor | readonly (Tensor | null)[];
}

/**
 * Makes an op from `f`, which computes a value and says how to differentiate it. The computation inside
 * `f` is not recorded; the op is recorded as one step named `name`, and nests like a built-in op.
 * Gradients must come back one per input, each of its input's shape (or one it broadcasts to): anything
 * else is an error naming the op.
 *
 * @example
 * ```ts
 * // log(1 + e^x) with a gradient that stays finite for large x
 * const logOnePlusExp = customGradient((x: Tensor) => ({
 *   value: log(add(exp(x), 1)),
 *   gradFunc: (dy) => mul(dy, sigmoid(x)),
 * }), 'logOnePlusExp');
 * ```
 */
export function customGradient<A extends Tensor[]>(f: (...args: A) => CustomGradientResult, name = 'customGradient'): (...args: A) => Tensor {
  return (...args: A): Tensor => {
    const result = noGrad(() => f(...args));
    if (!result || !(result.value instanceof Tensor) || typeof result.gradFunc !== 'function') {
      throw new Error(`${name}: the function must return { value: Tensor, gradFunc: (dy) => gradients }`);
    }
    const value = args.includes(result.value) ? new Tensor(result.value.data, result.value.shape, result.value.strides, result.value.offset) : result.value;
    checkFinite(name, value, args);
    record(name, args, value, (dy) => {
      const grads = result.gradFunc(dy);
      if (grads instanceof Tensor) return [grads];
      if (!Array.isArray(grads)) {
        throw new Error(`${name}: gradFunc returned ${typeof grads}; it must return a Tensor or an array with one gradient per input`);
      }
      return grads;
    });
    return value;
  };
}
