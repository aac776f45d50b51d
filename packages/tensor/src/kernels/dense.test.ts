// Tests of the fused dense kernels against plain float64 reference loops: the forward act(x·W + b) for every fused
// activation, with and without a bias, and the backward's dx, dW and db (the ones asked for, and only those).
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { tensor } from '../create.js';
import { type FusedActivation, dense, denseBackward } from './dense.js';
import { transpose } from './views.js';
import { BACKEND_SETTINGS, useBackendSetting } from './test-utils.js';

const values = (t: Tensor | null): number[] => Array.from(t!.toTypedArray());

/** Seeded values in [-1, 1) (a sine hash: no generator needed for a few dozen numbers). */
const numbers = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => ((Math.abs(Math.sin((i + 1) * 12.9898 + seed * 78.233)) * 43758.5453) % 1) * 2 - 1);

const f64 = (n: number, seed: number, shape: number[]): Tensor => tensor(numbers(n, seed), shape, 'float64');

const ACT: Record<FusedActivation, (z: number) => number> = {
  linear: (z) => z,
  relu: (z) => Math.max(z, 0),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: Math.tanh,
};
const DERIV: Record<FusedActivation, (y: number) => number> = {
  linear: () => 1,
  relu: (y) => (y > 0 ? 1 : 0),
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
};

/** act(x·W + b) for x [rows, k], W [k, n], b [n] or null, by loops. */
function refForward(x: number[], w: number[], b: number[] | null, rows: number, k: number, n: number, act: FusedActivation): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      let z = b ? b[j] : 0;
      for (let p = 0; p < k; p++) z += x[r * k + p] * w[p * n + j];
      out.push(ACT[act](z));
    }
  }
  return out;
}

function expectClose(actual: number[], expected: number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]))));
}

describe('dense', () => {
  for (const act of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
    it(`${act}: act(x·W + b) with and without a bias, for 2-D and 3-D x`, () => {
      const [rows, k, n] = [6, 4, 5];
      const x = f64(rows * k, 1, [rows, k]);
      const w = f64(k * n, 2, [k, n]);
      const b = f64(n, 3, [n]);
      expectClose(values(dense(x, w, b, act)), refForward(values(x), values(w), values(b), rows, k, n, act));
      expectClose(values(dense(x, w, null, act)), refForward(values(x), values(w), null, rows, k, n, act));
      const x3 = f64(rows * k, 1, [2, 3, k]);
      const y3 = dense(x3, w, b, act);
      expect(y3.shape).toEqual([2, 3, n]);
      expectClose(values(y3), refForward(values(x), values(w), values(b), rows, k, n, act));
    });
  }

  it('float32 agrees with float64 to float32 precision', () => {
    const x = f64(40, 11, [8, 5]);
    const w = f64(15, 12, [5, 3]);
    const b = f64(3, 13, [3]);
    const f32 = (t: Tensor): Tensor => tensor(values(t), t.shape, 'float32');
    for (const act of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
      expectClose(values(dense(f32(x), f32(w), f32(b), act)), values(dense(x, w, b, act)), 1e-6);
    }
  });

  it('refuses shapes that do not fit', () => {
    expect(() => dense(f64(6, 1, [2, 3]), f64(8, 2, [4, 2]), null)).toThrow(/dense: shapes do not fit: x \[2, 3\], kernel \[4, 2\]/);
  });
});

describe('denseBackward', () => {
  for (const act of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
    it(`${act}: dx = dz·Wᵀ, dW = xᵀ·dz, db = Σ dz with dz = g·act'(y)`, () => {
      const [rows, k, n] = [7, 3, 4];
      const x = f64(rows * k, 4, [rows, k]);
      const w = f64(k * n, 5, [k, n]);
      const b = f64(n, 6, [n]);
      const y = dense(x, w, b, act);
      const g = f64(rows * n, 7, [rows, n]);
      const yv = values(y);
      const dz = values(g).map((gi, i) => gi * DERIV[act](yv[i]));
      const xv = values(x);
      const wv = values(w);
      const dx: number[] = [];
      for (let r = 0; r < rows; r++) for (let p = 0; p < k; p++) dx.push(dz.slice(r * n, r * n + n).reduce((s, d, j) => s + d * wv[p * n + j], 0));
      const dw: number[] = [];
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) dw.push(Array.from({ length: rows }, (_, r) => xv[r * k + p] * dz[r * n + j]).reduce((s, v) => s + v, 0));
      const db = Array.from({ length: n }, (_, j) => Array.from({ length: rows }, (_, r) => dz[r * n + j]).reduce((s, v) => s + v, 0));
      const got = denseBackward(g, x, w, y, act, { x: true, kernel: true, bias: true });
      expect(got.dx!.shape).toEqual([rows, k]);
      expect(got.dw!.shape).toEqual([k, n]);
      expect(got.db!.shape).toEqual([n]);
      expectClose(values(got.dx), dx);
      expectClose(values(got.dw), dw);
      expectClose(values(got.db), db);
    });
  }

  it('computes only the gradients asked for, keeps a 3-D x\'s shape, and reads a strided g', () => {
    const x = f64(12, 8, [2, 3, 2]);
    const w = f64(6, 9, [2, 3]);
    const y = dense(x, w, null, 'relu');
    const g = transpose(f64(18, 10, [3, 3, 2]), [2, 0, 1]); // [2, 3, 3], not contiguous
    const some = denseBackward(g, x, w, y, 'relu', { x: true, kernel: false, bias: false });
    expect(some.dw).toBeNull();
    expect(some.db).toBeNull();
    expect(some.dx!.shape).toEqual([2, 3, 2]);
    const all = denseBackward(tensor(values(g), g.shape, 'float64'), x, w, y, 'relu', { x: true, kernel: true, bias: true });
    expect(values(some.dx)).toEqual(values(all.dx));
  });
});

// The fused kernels' products run on the WebAssembly gemm for float32 when that backend is on: the same results.
describe.each(BACKEND_SETTINGS)('dense and denseBackward in float32 on the $label backend', (setting) => {
  useBackendSetting(setting);
  it('agree with the float64 kernels to float32 precision', () => {
    const x = f64(21 * 17, 21, [21, 17]);
    const w = f64(17 * 9, 22, [17, 9]);
    const b = f64(9, 23, [9]);
    const g = f64(21 * 9, 24, [21, 9]);
    const f32 = (t: Tensor): Tensor => tensor(values(t), t.shape, 'float32');
    for (const act of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
      const y64 = dense(x, w, b, act);
      const y32 = dense(f32(x), f32(w), f32(b), act);
      expectClose(values(y32), values(y64), 1e-5);
      const want = denseBackward(g, x, w, y64, act, { x: true, kernel: true, bias: true });
      const got = denseBackward(f32(g), f32(x), f32(w), y32, act, { x: true, kernel: true, bias: true });
      expectClose(values(got.dx), values(want.dx), 1e-5);
      expectClose(values(got.dw), values(want.dw), 1e-5);
      expectClose(values(got.db), values(want.db), 1e-5);
    }
  });
});
