// Gradient checks of matmul: 2-D, batched, broadcast batches, transpose flags, vectors, views, and second order.
import { type Tensor, kernels } from '@tapegrad/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import '../methods.js';
import { grad } from '../grad.js';
import { GradientTape } from '../tape.js';
import { expectClose, expectGradOk, f64, largest, normal } from '../test-utils.js';
import { Variable } from '../variable.js';
import { add, mul } from './binary.js';
import { type MatmulOptions, matmul } from './matmul.js';
import { sum } from './reduce.js';
import { relu, tanh } from './unary.js';
import { concat } from './join.js';
import { reshape } from './shape.js';

// Each row: name, a's shape, b's shape, options (shapes are of the stored tensors, before any transpose flag).
const cases: [string, number[], number[], MatmulOptions][] = [
  ['2-D', [3, 4], [4, 2], {}],
  ['batched', [2, 3, 4], [2, 4, 5], {}],
  ['batch broadcast: a has none', [3, 4], [2, 4, 5], {}],
  ['batch broadcast: b has none', [2, 2, 3, 4], [4, 5], {}],
  ['batch broadcast: ones against a batch', [1, 3, 3, 4], [2, 1, 4, 2], {}],
  ['transposeA', [4, 3], [4, 2], { transposeA: true }],
  ['transposeB', [3, 4], [2, 4], { transposeB: true }],
  ['both transposed, batched', [2, 4, 3], [2, 5, 4], { transposeA: true, transposeB: true }],
  ['transposeB with a broadcast batch', [2, 3, 4], [5, 4], { transposeB: true }],
  ['vector @ matrix', [4], [4, 3], {}],
  ['matrix @ vector', [3, 4], [4], {}],
  ['vector @ vector (dot product)', [4], [4], {}],
  ['vector @ batch', [4], [2, 4, 3], {}],
  ['batch @ vector, transposeA', [2, 4, 3], [4], { transposeA: true }],
  ['vector flags are moot', [4], [4], { transposeA: true, transposeB: true }],
];

describe('matmul: VJPs match central differences', () => {
  it.each(cases)('%s', (name, sa, sb, options) => {
    expectGradOk(`matmul ${name}`, (a, b) => matmul(a, b, options), [normal(sa, 1), normal(sb, 2)]);
  });

  it('non-contiguous operands: a transposed view and a slice', () => {
    const a = kernels.transpose(normal([4, 3], 3)); // [3, 4]
    const b = kernels.slice(normal([6, 5], 4), [1, 1], [4, 2]); // [4, 2]
    expectGradOk('matmul (views)', (x, y) => matmul(x, y), [a, b]);
    expectGradOk('matmul (views, transposeB)', (x, y) => matmul(x, y, { transposeB: true }), [a, kernels.transpose(b)]);
  });

  it.each(cases)('second order, %s', (name, sa, sb, options) => {
    // gradients of Σ tanh(a·b)·w for both operands, checked themselves
    const f = (a: Tensor, b: Tensor): Tensor => {
      const c = matmul(a, b, options);
      return sum(mul(tanh(c), normal(c.shape, 5)));
    };
    const both = (a: Tensor, b: Tensor): Tensor => concat(grad(f)(a, b).map((g) => reshape(g, [-1])), 0);
    expectGradOk(`matmul ${name} (second order)`, both, [normal(sa, 8), normal(sb, 9)]);
  });
});

describe('matmul values', () => {
  it('forward by hand, and the gradients 1·Bᵀ and Aᵀ·1', () => {
    const a = f64([[1, 2, 3], [4, 5, 6]]);
    const b = f64([[7, 8], [9, 10], [11, 12]]);
    expectClose(matmul(a, b), [[58, 64], [139, 154]]);
    const [da, db] = grad((x: Tensor, y: Tensor) => sum(matmul(x, y)))(a, b);
    expectClose(da, [[15, 19, 23], [15, 19, 23]]);
    expectClose(db, [[5, 5], [7, 7], [9, 9]]);
  });

  it('the quadratic form xᵀAx has gradient (A + Aᵀ)x and Hessian A + Aᵀ', () => {
    const A = f64([[1, 2, 0], [-1, 3, 4], [0.5, 0, 2]]);
    const x = f64([1, -2, 0.5]);
    const quad = (v: Tensor): Tensor => matmul(v, matmul(A, v));
    expectClose(grad(quad)(x), [1 * 2 + 1 * -2 + 0.5 * 0.5, 1 * 1 + -2 * 6 + 0.5 * 4, 1 * 0.5 + -2 * 4 + 0.5 * 4]);
    const sym = [[2, 1, 0.5], [1, 6, 4], [0.5, 4, 4]];
    for (let i = 0; i < 3; i++) {
      const row = grad((v: Tensor) => sum(mul(grad(quad)(v), f64([0, 1, 2].map((j) => +(i === j))))))(x);
      expectClose(row, sym[i]);
    }
  });

  it('chained methods record exactly like the free functions', () => {
    const w = new Variable(f64([[1, -1], [2, 0.5]]), { name: 'w' });
    const b = new Variable(f64([0.1, -0.2]), { name: 'b' });
    const x = f64([[0.3, 0.4]]);
    const chained = new GradientTape();
    const l1 = chained.run(() => x.matmul(w).add(b).relu().sum());
    const free = new GradientTape();
    const l2 = free.run(() => sum(relu(add(matmul(x, w), b))));
    expect(chained.records.map((r) => r.op)).toEqual(['matmul', 'add', 'relu', 'sum']);
    expect(free.records.map((r) => r.op)).toEqual(['matmul', 'add', 'relu', 'sum']);
    expect(l1.item()).toBeCloseTo(l2.item(), 14);
    const [dw, db] = chained.gradient(l1, [w, b]);
    expectClose(dw!, [[0.3, 0], [0.4, 0]]);
    expectClose(db!, [1, 0]);
  });

  it('errors name the shapes', () => {
    expect(() => matmul(f64([[1, 2]]), f64([[1, 2]]))).toThrow(/matmul: inner dimensions differ, \[1, 2\] @ \[1, 2\] \(2 ≠ 1\)/);
    expect(() => matmul(f64(1), f64([1]))).toThrow(/matmul: operands must have at least one axis/);
  });
});

afterAll(() => console.log(`matmul: largest maxRelError ${largest.error.toExponential(3)} (${largest.name})`));
