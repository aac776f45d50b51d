// Tests of the regularizers against Keras 3 (KERAS_SEMANTICS.md section 3): values and gradients by hand, names, configs.
import { describe, expect, it } from 'vitest';
import { grad, gradCheck } from '@tapegrad/autograd';
import { type Tensor } from '@tapegrad/tensor';
import { L1, L1L2, L2, type Regularizer, getRegularizer } from './regularizers.js';
import { expectClose, f64 } from './test-utils.js';

const W = [[1, -2, 0.5], [3, -0.25, -4]];
const SUM_ABS = 1 + 2 + 0.5 + 3 + 0.25 + 4; // 10.75
const SUM_SQ = 1 + 4 + 0.25 + 9 + 0.0625 + 16; // 30.3125

const penalty = (r: Regularizer, w = W): number => r.penalty(f64(w)).item();

describe('regularizer values by hand', () => {
  it('L1: l1·Σ|w|', () => {
    expect(penalty(new L1(0.3))).toBeCloseTo(0.3 * SUM_ABS, 14);
    expect(penalty(new L1())).toBeCloseTo(0.01 * SUM_ABS, 14); // Keras default 0.01
  });

  it('L2: l2·Σw², without a factor ½', () => {
    expect(penalty(new L2(0.1))).toBeCloseTo(0.1 * SUM_SQ, 14);
    expect(penalty(new L2())).toBeCloseTo(0.01 * SUM_SQ, 14); // Keras default 0.01
  });

  it('L1L2: l1·Σ|w| + l2·Σw²; both factors default 0', () => {
    expect(penalty(new L1L2(0.3, 0.1))).toBeCloseTo(0.3 * SUM_ABS + 0.1 * SUM_SQ, 14);
    expect(penalty(new L1L2(0, 0.1))).toBeCloseTo(0.1 * SUM_SQ, 14);
    expect(penalty(new L1L2(0.3))).toBeCloseTo(0.3 * SUM_ABS, 14);
    expect(Object.is(penalty(new L1L2()), 0)).toBe(true); // +0 (Keras's 0.0), even when Σw < 0
    expect(penalty(new L1L2())).toBeCloseTo(0, 15); // (tapegrad returns 0·Σw, which is -0 here)
  });

  it('the penalty is a scalar of the weight dtype', () => {
    const p = new L2(0.5).penalty(f64(W));
    expect(p.shape).toEqual([]);
    expect(p.dtype).toBe('float64');
  });

  it('negative factors are refused', () => {
    expect(() => new L1(-0.1)).toThrow(/non-negative/);
    expect(() => new L1L2(0, -1)).toThrow(/non-negative/);
  });
});

describe('regularizer gradients', () => {
  it('by hand: dL1 = l1·sign(w), dL2 = 2·l2·w', () => {
    const g1 = grad((w: Tensor) => new L1(0.3).penalty(w))(f64(W));
    expectClose(g1, W.map((r) => r.map((v) => 0.3 * Math.sign(v))), 1e-15);
    const g2 = grad((w: Tensor) => new L2(0.1).penalty(w))(f64(W));
    expectClose(g2, W.map((r) => r.map((v) => 2 * 0.1 * v)), 1e-15);
    const g12 = grad((w: Tensor) => new L1L2(0.3, 0.1).penalty(w))(f64(W));
    expectClose(g12, W.map((r) => r.map((v) => 0.3 * Math.sign(v) + 0.2 * v)), 1e-15);
  });

  it.each([new L1(0.3), new L2(0.1), new L1L2(0.3, 0.1), new L1L2()])('%j: VJP matches central differences (w away from 0)', (r) => {
    const report = gradCheck((w: Tensor) => r.penalty(w), [f64(W)]);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-7);
  });
});

describe('regularizer names and configs', () => {
  it("'l1' and 'l2' are Keras's defaults (0.01)", () => {
    expect(penalty(getRegularizer('l2'))).toBeCloseTo(0.01 * SUM_SQ, 14);
    expect(penalty(getRegularizer('l1'))).toBeCloseTo(0.01 * SUM_ABS, 14);
    expect(getRegularizer('l2').getConfig()).toEqual({ className: 'L2', config: { l2: 0.01 } });
    expect(getRegularizer('l1').getConfig()).toEqual({ className: 'L1', config: { l1: 0.01 } });
  });

  it('an unknown name fails, listing the valid names', () => {
    expect(() => getRegularizer('l3' as never)).toThrow(/Unknown regularizer 'l3'.*'l1'.*'l2'/);
  });

  it.each([new L1(0.25), new L2(0.125), new L1L2(0.5, 0.75), new L1L2()])('config round trip through JSON: %j', (r) => {
    const config = r.getConfig();
    const copy = getRegularizer(JSON.parse(JSON.stringify(config)));
    expect(copy.getConfig()).toEqual(config);
    expect(penalty(copy)).toBe(penalty(r));
  });

  it('a Regularizer object is returned as is', () => {
    const r = new L2(3);
    expect(getRegularizer(r)).toBe(r);
  });
});
