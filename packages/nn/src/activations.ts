// Activation functions by Keras name (keras/src/activations/activations.py), built from differentiable ops.
import type { Tensor } from '@tapegrad/tensor';
import {
  add, div, erf, exp, expm1, greater, mul, minimum, relu, sigmoid, softmax, softplus, tanh, abs, where,
} from '@tapegrad/autograd';
import { lookup, toSnakeCase } from './identifiers.js';
import { markLogits } from './ops/logits.js';

/** An activation: elementwise (or, for softmax, along the last axis) and differentiable. */
export type ActivationFn = (x: Tensor) => Tensor;

/** An activation function or its Keras name (`'relu'`, `'leaky_relu'` / `'leakyRelu'`, ...). */
export type ActivationIdentifier = string | ActivationFn;

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** x for x > 0, alpha·(e^x - 1) otherwise. */
const elu = (x: Tensor, alpha = 1): Tensor => where(greater(x, 0), x, mul(expm1(x), alpha));

/** Keras's activations, keyed by their snake_case names. */
export const activations: Readonly<Record<string, ActivationFn>> = {
  linear: (x) => x,
  relu: (x) => relu(x),
  sigmoid: (x) => markLogits(sigmoid(x), 'sigmoid', x),
  tanh: (x) => tanh(x),
  softmax: (x) => markLogits(softmax(x, -1), 'softmax', x),
  softplus: (x) => softplus(x),
  softsign: (x) => div(x, add(abs(x), 1)),
  elu: (x) => elu(x),
  selu: (x) => mul(elu(x, SELU_ALPHA), SELU_SCALE),
  gelu: (x) => mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1)), // the exact erf form (Keras's default)
  silu: (x) => mul(x, sigmoid(x)),
  swish: (x) => mul(x, sigmoid(x)),
  leaky_relu: (x) => where(greater(x, 0), x, mul(x, 0.2)),
  relu6: (x) => minimum(relu(x), 6),
  hard_sigmoid: (x) => div(minimum(relu(add(x, 3)), 6), 6), // relu6(x + 3) / 6, as Keras 3
  exponential: (x) => exp(x),
};

/**
 * The activation an identifier names (a function is returned as is; `undefined`/`null` is linear).
 * @throws Error listing Keras's activation names for an unknown one.
 * @example `getActivation('relu')`, `getActivation('leakyRelu')`
 */
export function getActivation(id: ActivationIdentifier | null | undefined): ActivationFn {
  if (id === undefined || id === null) return activations.linear;
  if (typeof id === 'function') return id;
  return lookup('activation', id, activations);
}

/** The Keras name of an activation function from {@link activations}, or null for a user's own function. */
export function activationName(fn: ActivationFn): string | null {
  for (const [name, f] of Object.entries(activations)) if (f === fn) return name;
  return null;
}

/**
 * An activation option as saved in a config: Keras's snake_case name ('linear' for none).
 * @throws Error naming the layer for a user's own function, which cannot be saved by name.
 */
export function serializeActivation(id: ActivationIdentifier | null | undefined, layerName: string): string {
  if (id === undefined || id === null) return 'linear';
  const name = typeof id === 'string' ? id : activationName(id);
  if (name === null) {
    throw new Error(`${layerName}: its activation is a custom function, which cannot be saved in a config; use a named activation or an Activation subclass`);
  }
  return toSnakeCase(name);
}
