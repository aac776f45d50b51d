// Test helpers of the NHWC kernels (conv2d, pooling): a relative-error comparison, an NHWC view stored
// channel-first (so each kernel is also checked on a non-contiguous input), and a central-difference check of a
// backward kernel.
import { expect } from 'vitest';
import { tensor } from '../create.js';
import type { Tensor } from '../tensor.js';
import { transpose } from './views.js';

/** Fails on the first element whose error relative to max(1, |expected|) exceeds `tol`, naming it. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(err <= tol)) expect.fail(`element ${i}: got ${actual[i]}, expected ${expected[i]} (error ${err})`);
  }
}

/** A non-contiguous NHWC view of `data` whose storage is channel-first [C, N, H, W]. */
export function channelFirstView(data: Float64Array, shape: number[]): Tensor {
  const [N, H, W, C] = shape;
  const buf = new Float64Array(data.length);
  for (let n = 0; n < N; n++)
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++) for (let ch = 0; ch < C; ch++) buf[((ch * N + n) * H + h) * W + w] = data[((n * H + h) * W + w) * C + ch];
  return transpose(tensor(buf, [C, N, H, W]), [1, 2, 3, 0]);
}

/**
 * Checks every element of `analytic` against the central difference (step 1e-6) of `loss` in `values`, which it
 * changes in place and restores; fails on a relative error of 1e-6 or more, naming the element.
 */
export function expectFiniteDifferences(values: Float64Array, loss: () => number, analytic: ArrayLike<number>): void {
  const h = 1e-6;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    values[i] = v + h;
    const up = loss();
    values[i] = v - h;
    const down = loss();
    values[i] = v;
    const numeric = (up - down) / (2 * h);
    const err = Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(numeric), Math.abs(analytic[i]));
    if (!(err < 1e-6)) expect.fail(`element ${i}: finite difference ${numeric}, kernel ${analytic[i]} (relative error ${err})`);
  }
}
