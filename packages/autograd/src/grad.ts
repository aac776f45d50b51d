// Functional forms of differentiation: grad, valueAndGrad, vjp, and stopGradient.
import { Tensor } from '@tapegrad/tensor';
import { GradientTape } from './tape.js';

/** The gradients `grad(f)` returns: one tensor for a one-argument function, else one per argument. */
export type Gradients<A extends Tensor[]> = A extends [Tensor] ? Tensor : { [K in keyof A]: Tensor };

/** Which arguments to differentiate: one index (one gradient) or several (an array). Default: all. */
export interface ArgnumsOption<N extends number | readonly number[]> {
  argnums: N;
}

/**
 * Turns a scalar-valued function of tensors into the function that returns its gradient (JAX's `grad`).
 * Arguments the result does not depend on get zeros. Nests: `grad(x => grad(f)(x))` is the second derivative.
 *
 * @example
 * ```ts
 * const f = (x: Tensor) => sum(mul(x, x));
 * grad(f)(tensor([1, 2, 3])); // [2, 4, 6]
 * const df = grad((x: Tensor, y: Tensor) => sum(mul(x, y)));
 * const [dx, dy] = df(tensor([1, 2]), tensor([3, 4])); // [3, 4], [1, 2]
 * ```
 */
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor): (...args: A) => Gradients<A>;
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor, options: ArgnumsOption<number>): (...args: A) => Tensor;
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor, options: ArgnumsOption<readonly number[]>): (...args: A) => Tensor[];
export function grad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  options?: ArgnumsOption<number | readonly number[]>,
): (...args: A) => Tensor | Tensor[] {
  return (...args: A) => differentiate(f, args, options?.argnums).grad;
}

/**
 * Like {@link grad}, but returns the function's value too, from the same forward pass.
 * @example
 * ```ts
 * const { value, grad: g } = valueAndGrad((x: Tensor) => sum(square(x)))(tensor([3]));
 * // value 9, g [6]
 * ```
 */
export function valueAndGrad<A extends Tensor[]>(f: (...args: A) => Tensor): (...args: A) => { value: Tensor; grad: Gradients<A> };
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  options: ArgnumsOption<number>,
): (...args: A) => { value: Tensor; grad: Tensor };
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  options: ArgnumsOption<readonly number[]>,
): (...args: A) => { value: Tensor; grad: Tensor[] };
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  options?: ArgnumsOption<number | readonly number[]>,
): (...args: A) => { value: Tensor; grad: Tensor | Tensor[] } {
  return (...args: A) => differentiate(f, args, options?.argnums);
}

function differentiate<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  args: A,
  argnums: number | readonly number[] | undefined,
): { value: Tensor; grad: Tensor | Tensor[] } {
  const picked = argnums === undefined ? args.map((_, i) => i) : typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const i of picked) {
    if (!Number.isInteger(i) || i < 0 || i >= args.length) {
      throw new Error(`grad: argnums ${JSON.stringify(argnums)} names argument ${i}, but the function got ${args.length} arguments`);
    }
    if (!(args[i] instanceof Tensor)) throw new Error(`grad: argument ${i} is not a Tensor; only tensors can be differentiated`);
  }
  const sources = picked.map((i) => args[i]);
  const tape = new GradientTape();
  tape.watch(...sources);
  const value = tape.run(() => f(...args));
  if (!(value instanceof Tensor)) throw new Error('grad: the function must return a Tensor (a scalar one)');
  const grads = tape.gradient(value, sources, { unconnected: 'zero' });
  const single = typeof argnums === 'number' || (argnums === undefined && args.length === 1);
  return { value, grad: single ? grads[0] : grads };
}

/**
 * Runs `f` on `inputs` and returns its value with a function that maps an output gradient (a cotangent of
 * the value's shape) to the inputs' gradients. The function may be called many times.
 *
 * @example
 * ```ts
 * const { value, vjp: back } = vjp((x: Tensor) => mul(x, 3), [tensor([1, 2])]);
 * back(tensor([1, 1])); // [[3, 3]]
 * ```
 */
export function vjp<A extends Tensor[]>(f: (...args: A) => Tensor, inputs: A): { value: Tensor; vjp: (g: Tensor) => Tensor[] } {
  const tape = new GradientTape({ persistent: true });
  tape.watch(...inputs);
  const value = tape.run(() => f(...inputs));
  return { value, vjp: (g: Tensor) => tape.gradient(value, inputs, { outputGradient: g, unconnected: 'zero' }) };
}

/**
 * The same values as `x`, seen by tapes as a constant: no gradient flows back through it.
 * @example
 * ```ts
 * grad((x: Tensor) => sum(mul(x, stopGradient(x))))(tensor([3])); // [3], not [6]
 * ```
 */
export function stopGradient(x: Tensor): Tensor {
  return new Tensor(x.data, x.shape, x.strides, x.offset);
}
