// Test helpers of the NHWC kernels (conv2d, pooling): a relative-error comparison and an NHWC view stored
// channel-first, so each kernel is also checked on a non-contiguous input.
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
