// Tests of the numerics check mode: an op or a gradient producing NaN or Infinity throws, naming it.
import type { Tensor } from '@tapegrad/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { checkNumericsEnabled, setCheckNumerics } from './check-numerics.js';
import { grad } from './grad.js';
import { div } from './ops/binary.js';
import { sum } from './ops/reduce.js';
import { log, sqrt } from './ops/unary.js';
import { f64 } from './test-utils.js';

afterEach(() => setCheckNumerics(false));

describe('setCheckNumerics', () => {
  it('is off by default: log(-1) gives NaN silently', () => {
    expect(checkNumericsEnabled()).toBe(false);
    expect(Number.isNaN(log(f64([-1])).item())).toBe(true);
  });

  it('when on, log(-1) throws naming the op, the element and the input shapes', () => {
    setCheckNumerics(true);
    expect(() => log(f64([2, -1]))).toThrow(/^log: produced NaN at \[1\] of a result of shape \[2\] \(inputs \[2\]\)/);
    expect(() => div(f64([1]), f64([0]))).toThrow(/^div: produced Infinity at \[0\]/);
  });

  it('when on, a gradient that overflows throws naming the op it came from', () => {
    setCheckNumerics(true);
    // sqrt(0) is fine, its gradient 1/(2·sqrt(0)) is not
    expect(() => grad((x: Tensor) => sum(sqrt(x)))(f64([0, 4]))).toThrow(/^div: produced Infinity at \[0\].*\[in the gradient of sqrt, op #1\]$/);
  });
});
