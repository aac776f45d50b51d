// conv2d and its two backprop ops. All three are linear in each operand and each one's VJP is made of the
// other two, so conv2d differentiates to any order.
import { type Shape, type Tensor, kernels } from '@tapegrad/tensor';
import { defineOp } from '../define-op.js';

/** Options of {@link conv2d}: strides and dilation (a number or [h, w], default 1), padding 'valid' (default) or 'same'. */
export type Conv2dOptions = kernels.Conv2dOptions;

interface ConvAttrs {
  readonly options: Conv2dOptions;
}

const conv2dOp = defineOp<ConvAttrs>('conv2d', {
  forward: ([x, filter], { options }) => kernels.conv2d(x, filter, options),
  vjp: (g, { inputs: [x, filter], attrs: { options }, needs }) => [
    needs[0] ? conv2dBackpropInput(g, filter, x.shape, options) : null,
    needs[1] ? conv2dBackpropFilter(x, g, filter.shape, options) : null,
  ],
});

// dx = Bᵢ(dy, W) is the adjoint of x ↦ conv2d(x, W): <h, Bᵢ(dy, W)> = <conv2d(h, W), dy>, which gives both gradients.
const backpropInputOp = defineOp<ConvAttrs & { readonly inputShape: Shape }>('conv2dBackpropInput', {
  forward: ([dy, filter], { inputShape, options }) => kernels.conv2dBackpropInput(dy, filter, inputShape, options),
  vjp: (h, { inputs: [dy, filter], attrs: { options }, needs }) => [
    needs[0] ? conv2d(h, filter, options) : null,
    needs[1] ? conv2dBackpropFilter(h, dy, filter.shape, options) : null,
  ],
});

// dW = B_f(x, dy): <H, B_f(x, dy)> = <conv2d(x, H), dy>.
const backpropFilterOp = defineOp<ConvAttrs & { readonly filterShape: Shape }>('conv2dBackpropFilter', {
  forward: ([x, dy], { filterShape, options }) => kernels.conv2dBackpropFilter(x, dy, filterShape, options),
  vjp: (h, { inputs: [x, dy], attrs: { options }, needs }) => [
    needs[0] ? conv2dBackpropInput(dy, h, x.shape, options) : null,
    needs[1] ? conv2d(x, h, options) : null,
  ],
});

/**
 * 2-D convolution (cross-correlation, as Keras) of an NHWC input with an HWIO filter, no bias:
 * `y[n, i, j, f] = Σ x[n, i·sh + ky·dh − padTop, j·sw + kx·dw − padLeft, c] · filter[ky, kx, c, f]`.
 * Differentiable to any order in both operands.
 * @example
 * ```ts
 * const y = conv2d(x, filter, { strides: 2, padding: 'same' }); // x [N, H, W, C], filter [kh, kw, C, F]
 * ```
 */
export const conv2d = (x: Tensor, filter: Tensor, options: Conv2dOptions = {}): Tensor => conv2dOp([x, filter], { options });

/**
 * The gradient of `conv2d(x, filter, options)` with respect to `x` (of shape `inputShape`) for an output gradient
 * `dy`; a transposed convolution. Differentiable in `dy` and `filter`.
 */
export const conv2dBackpropInput = (dy: Tensor, filter: Tensor, inputShape: Shape, options: Conv2dOptions = {}): Tensor =>
  backpropInputOp([dy, filter], { inputShape: inputShape.slice(), options });

/**
 * The gradient of `conv2d(x, filter, options)` with respect to the filter (of shape `filterShape`) for an output
 * gradient `dy`. Differentiable in `x` and `dy`.
 */
export const conv2dBackpropFilter = (x: Tensor, dy: Tensor, filterShape: Shape, options: Conv2dOptions = {}): Tensor =>
  backpropFilterOp([x, dy], { filterShape: filterShape.slice(), options });
