// Gradient checks of maxPool2d (distinct inputs, no ties) and avgPool2d ('same' and 'valid'), and their orders.
import { type Tensor, kernels } from '@tapegrad/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { grad } from '../grad.js';
import { distinct, expectClose, expectGradOk, f64, largest, normal } from '../test-utils.js';
import { mul } from './binary.js';
import { type Pool2dOptions, avgPool2d, avgPool2dBackward, maxPool2d } from './pool.js';
import { sum } from './reduce.js';
import { square } from './unary.js';

const configs: [string, number[], Pool2dOptions][] = [
  ['2x2, valid', [2, 4, 6, 3], {}],
  ['2x2, same, odd sizes', [1, 5, 5, 2], { padding: 'same' }],
  ['3x3, stride 1, same (overlapping windows)', [1, 5, 4, 2], { poolSize: 3, strides: 1, padding: 'same' }],
  ['3x3, stride 2, valid', [2, 7, 5, 1], { poolSize: 3, strides: 2 }],
  ['[2, 3], strides [1, 2], valid', [1, 4, 7, 2], { poolSize: [2, 3], strides: [1, 2] }],
];

describe('pooling: VJPs match central differences', () => {
  it.each(configs)('maxPool2d %s', (name, shape, options) => {
    expectGradOk(`maxPool2d ${name}`, (x) => maxPool2d(x, options), [distinct(shape, 1)]);
  });

  it.each(configs)('avgPool2d %s', (name, shape, options) => {
    expectGradOk(`avgPool2d ${name}`, (x) => avgPool2d(x, options), [normal(shape, 2)]);
  });

  it('both on a non-contiguous (transposed) input', () => {
    expectGradOk('maxPool2d (view)', (x) => maxPool2d(x, { padding: 'same' }), [kernels.transpose(distinct([2, 5, 5, 1], 3), [3, 1, 2, 0])]);
    expectGradOk('avgPool2d (view)', (x) => avgPool2d(x, { padding: 'same' }), [kernels.transpose(normal([2, 5, 5, 1], 4), [3, 1, 2, 0])]);
  });

  it.each(configs)('avgPool2dBackward %s, and avgPool2d to second order', (name, shape, options) => {
    const dyShape = kernels.pool2dOutputShape(shape, options);
    expectGradOk(`avgPool2dBackward ${name}`, (dy) => avgPool2dBackward(dy, shape, options), [normal(dyShape, 5)]);
    const df = (x: Tensor): Tensor => grad((y: Tensor) => sum(square(avgPool2d(mul(y, y), options))))(x);
    expectGradOk(`avgPool2d ${name} (second order)`, df, [normal(shape, 6)]);
  });
});

describe('pooling values and orders', () => {
  it('maxPool2d sends each window\'s gradient to its maximum; avgPool2d shares it among the real cells', () => {
    const x = f64([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expectClose(grad((y: Tensor) => sum(maxPool2d(y, { padding: 'same' })))(x), [0, 0, 0, 0, 1, 1, 0, 1, 1]);
    // 'same' windows: {1,2,4,5} (4 cells), {3,6} (2), {7,8} (2), {9} (1)
    expectClose(grad((y: Tensor) => sum(avgPool2d(y, { padding: 'same' })))(x), [0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1]);
  });

  it('maxPool2d is once-differentiable: a second derivative throws naming it', () => {
    const f = (x: Tensor): Tensor => sum(square(maxPool2d(x)));
    const x = distinct([1, 4, 4, 1], 7);
    expect(() => grad(f)(x)).not.toThrow();
    expect(() => grad((y: Tensor) => sum(grad(f)(y)))(x)).toThrow(/maxPool2d: .*once-differentiable/);
  });
});

afterAll(() => console.log(`pooling: largest maxRelError ${largest.error.toExponential(3)} (${largest.name})`));
