// Tests of gradCheck itself: it passes right gradients, catches a wrong one with the index of the worst element,
// keeps non-contiguous layouts, and refuses float32.
import { Tensor, kernels, tensor } from '@tapegrad/tensor';
import { describe, expect, it } from 'vitest';
import { customGradient } from './custom-gradient.js';
import { grad } from './grad.js';
import { gradCheck } from './gradcheck.js';
import { mul } from './ops/binary.js';
import { sum } from './ops/reduce.js';
import { square } from './ops/unary.js';
import { f64, normal } from './test-utils.js';

// x², with a gradient that is wrong only at flat index 4 (2x + 1 there)
const faulty = customGradient((x: Tensor) => ({
  value: square(x),
  gradFunc: (dy) => {
    const bump = new Float64Array(x.size);
    bump[4] = 1;
    return mul(dy, kernels.add(kernels.mul(x, f64(2)), new Tensor(bump, x.shape)));
  },
}), 'faulty');

describe('gradCheck', () => {
  it('passes a correct gradient with a tiny error', () => {
    const report = gradCheck((a, b) => mul(a, b), [normal([3, 1, 4], 1), normal([2, 4], 2)]);
    expect(report.maxRelError).toBeLessThan(1e-8);
    expect(report.checked).toBe(12 + 8);
    expect(report.toString()).toMatch(/^gradCheck: max relative error .* at input \d \[.*\] \(of \[.*\]\): analytic .*, numeric .*; 20 elements checked$/);
  });

  it('catches a deliberately wrong custom gradient and names the worst element', () => {
    const x = normal([2, 3], 3);
    const report = gradCheck(faulty, [x]);
    expect(report.maxRelError).toBeGreaterThan(1e-2);
    expect(report.worst?.input).toBe(0);
    expect(report.worst?.index).toEqual([1, 1]); // flat index 4 of [2, 3]
    const bump = report.worst!.analytic - report.worst!.numeric; // 1 times the projection weight, drawn from [0.5, 1.5)
    expect(bump).toBeGreaterThanOrEqual(0.5);
    expect(bump).toBeLessThan(1.5);
    expect(report.toString()).toContain('at input 0 [1, 1] (of [2, 3])');
  });

  it('keeps a transposed input a view, so perturbing one element moves exactly that element', () => {
    const x = kernels.transpose(normal([3, 4], 4));
    const report = gradCheck((t) => mul(t, t), [x]);
    expect(report.maxRelError).toBeLessThan(1e-8);
    expect(x.isContiguous).toBe(false);
  });

  it('copies a broadcast (stride-0) input before perturbing it', () => {
    const x = kernels.broadcastTo(f64([1, 2]), [3, 2]);
    const report = gradCheck((t) => square(t), [x]);
    expect(report.maxRelError).toBeLessThan(1e-8);
    expect(report.checked).toBe(6);
  });

  it('checks a chosen subset of inputs, and samples at most maxElements of each', () => {
    const report = gradCheck((a, b) => mul(a, b), [normal([10, 10], 5), normal([10, 10], 6)], { inputs: [1], maxElements: 7 });
    expect(report.checked).toBe(7);
    expect(report.worst?.input).toBe(1);
  });

  it('checks functions that take gradients themselves (second order)', () => {
    const report = gradCheck((x) => grad((y: Tensor) => sum(mul(square(y), y)))(x), [normal([4], 7)]);
    expect(report.maxRelError).toBeLessThan(1e-7);
  });

  it('refuses float32 inputs and outputs', () => {
    expect(() => gradCheck((t) => t, [tensor([1, 2])])).toThrow(/input 0 is float32; gradient checks need float64/);
    expect(() => gradCheck((t) => kernels.cast(t, 'float32'), [f64([1, 2])])).toThrow(/f returned a float32 tensor/);
  });
});
