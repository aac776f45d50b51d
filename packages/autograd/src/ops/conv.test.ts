// Gradient checks of conv2d (strides, paddings, dilation, views), of its two backprop ops, and of its second order.
import { type Tensor, kernels, ones } from '@tapegrad/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { grad } from '../grad.js';
import { expectClose, expectGradOk, f64, largest, normal } from '../test-utils.js';
import { mul } from './binary.js';
import { type Conv2dOptions, conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv.js';
import { sum } from './reduce.js';
import { square } from './unary.js';

// Each row: input shape [N, H, W, C], filter shape [kh, kw, C, F], options.
const configs: [string, number[], number[], Conv2dOptions][] = [
  ['3x3, stride 1, valid', [2, 5, 5, 3], [3, 3, 3, 4], {}],
  ['3x3, stride 1, same', [2, 5, 5, 3], [3, 3, 3, 4], { padding: 'same' }],
  ['3x3, stride 2, valid', [1, 7, 6, 2], [3, 3, 2, 3], { strides: 2 }],
  ['3x3, stride 2, same', [2, 6, 5, 2], [3, 3, 2, 3], { strides: 2, padding: 'same' }],
  ['2x3, strides [2, 1], same', [1, 5, 6, 2], [2, 3, 2, 2], { strides: [2, 1], padding: 'same' }],
  ['3x3, dilation 2, valid', [1, 7, 7, 2], [3, 3, 2, 2], { dilation: 2 }],
  ['3x3, dilation 2, same', [1, 6, 5, 2], [3, 3, 2, 3], { dilation: 2, padding: 'same' }],
  ['1x1 (pointwise)', [2, 3, 4, 3], [1, 1, 3, 5], {}],
];

// Each output of a convolution sums kh·kw·C products, and the rounding error of f(x ± h), divided by 2h, grows with
// it: at gradCheck's default h = 1e-6 the 3x3x3 cases reach 8.7e-7 (measured), too near the 1e-6 bar to survive a
// change of summation order in gemm. h = 1e-5 (closer to the optimal ∛ε ≈ 6e-6) brings them to 1.6e-7; convolutions
// are bilinear, so the larger step adds no truncation error.
const EPS = { eps: 1e-5 };

describe('conv2d: VJPs match central differences', () => {
  it.each(configs)('%s', (name, xShape, fShape, options) => {
    expectGradOk(`conv2d ${name}`, (x, w) => conv2d(x, w, options), [normal(xShape, 1), normal(fShape, 2)], EPS);
  });

  it('a non-contiguous input (a transposed NCHW tensor) and filter', () => {
    const x = kernels.transpose(normal([2, 3, 5, 4], 3), [0, 2, 3, 1]); // [2, 5, 4, 3] as a view
    const w = kernels.transpose(normal([4, 3, 3, 3], 4), [2, 3, 1, 0]); // [3, 3, 3, 4] as a view
    expectGradOk('conv2d (views)', (a, b) => conv2d(a, b, { padding: 'same' }), [x, w], EPS);
  });

  it.each(configs)('conv2dBackpropInput and conv2dBackpropFilter, %s', (name, xShape, fShape, options) => {
    const dyShape = kernels.conv2dOutputShape(xShape, fShape, options);
    expectGradOk(`conv2dBackpropInput ${name}`, (dy, w) => conv2dBackpropInput(dy, w, xShape, options), [normal(dyShape, 5), normal(fShape, 6)], EPS);
    expectGradOk(`conv2dBackpropFilter ${name}`, (x, dy) => conv2dBackpropFilter(x, dy, fShape, options), [normal(xShape, 7), normal(dyShape, 8)], EPS);
  });

  it.each(configs.slice(0, 4))('second order, %s', (name, xShape, fShape, options) => {
    // the gradient of Σ conv2d(x, w)² for both operands, itself checked against central differences
    const f = (x: Tensor, w: Tensor): Tensor => sum(square(conv2d(x, w, options)));
    const dx = (x: Tensor, w: Tensor): Tensor => grad(f, { argnums: 0 })(x, w);
    const dw = (x: Tensor, w: Tensor): Tensor => grad(f, { argnums: 1 })(x, w);
    expectGradOk(`conv2d ${name} (second order, dx)`, dx, [normal(xShape, 9), normal(fShape, 10)], EPS);
    expectGradOk(`conv2d ${name} (second order, dw)`, dw, [normal(xShape, 11), normal(fShape, 12)], EPS);
  });
});

describe('conv2d values', () => {
  it('adds each cell to its lower-right neighbour with the filter [[1, 0], [0, 1]]; the input gradient counts taps', () => {
    const x = f64([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = f64([1, 0, 0, 1], [2, 2, 1, 1]);
    expectClose(conv2d(x, w), [6, 8, 12, 14]);
    const [dx, dw] = grad((a: Tensor, b: Tensor) => sum(conv2d(a, b)))(x, w);
    expectClose(dx, [1, 1, 0, 1, 2, 1, 0, 1, 1]);
    expectClose(dw, [12, 16, 24, 28]); // each tap sums the 2x2 block of cells it reads
  });

  it('mixed second derivative: d/dw Σ x·(∂/∂x Σ conv2d(x, w)) equals the filter gradient of Σ conv2d(x, w)', () => {
    // Σ x·∂ₓ⟨1, conv2d(x, w)⟩ = ⟨1, conv2d(x, w)⟩ (linear in x), so its w-gradient is conv2dBackpropFilter(x, 1)
    const x = normal([1, 4, 4, 2], 13);
    const w = normal([2, 2, 2, 1], 14);
    const h = grad((b: Tensor) => sum(mul(grad((a: Tensor) => sum(conv2d(a, b)))(x), x)))(w);
    const expected = kernels.conv2dBackpropFilter(x, ones([1, 3, 3, 1], 'float64'), w.shape);
    expectClose(h, Array.from(expected.toTypedArray()));
  });
});

afterAll(() => console.log(`conv2d: largest maxRelError ${largest.error.toExponential(3)} (${largest.name})`));
