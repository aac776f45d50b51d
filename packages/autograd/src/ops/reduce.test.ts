// Gradient checks of the reductions (each over several axis sets, with and without keepDims), softmax and
// logSoftmax on several axes, and prod's exact gradient where the input holds zeros.
import { type Tensor, kernels } from '@tapegrad/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { grad } from '../grad.js';
import { distinct, expectClose, expectGradOk, f64, largest, normal, offZero } from '../test-utils.js';
import { mul } from './binary.js';
import * as r from './reduce.js';
import { logSoftmax, softmax } from './softmax.js';

type Reduce = (x: Tensor, axes?: number | readonly number[], keepDims?: boolean) => Tensor;
const SHAPE = [3, 4, 5];

// max and min get distinct values (no ties); prod gets values away from 0 (its zero case is tested below).
const reductions: [string, Reduce, (seed: number) => Tensor][] = [
  ['sum', r.sum, (s) => normal(SHAPE, s)],
  ['mean', r.mean, (s) => normal(SHAPE, s)],
  ['max', r.max, (s) => distinct(SHAPE, s)],
  ['min', r.min, (s) => distinct(SHAPE, s)],
  ['variance', r.variance, (s) => normal(SHAPE, s)],
  ['logSumExp', r.logSumExp, (s) => normal(SHAPE, s)],
  ['prod', r.prod, (s) => offZero(SHAPE, s)],
];
const axisSets: (number | number[] | undefined)[] = [undefined, 0, -1, [0, 2], [1, 2]];

const cases = reductions.flatMap(([name, op, sample]) =>
  axisSets.flatMap((axes) =>
    [false, true].map((keepDims) => [`${name} over ${JSON.stringify(axes) ?? 'all'}${keepDims ? ', keepDims' : ''}`, op, sample, axes, keepDims] as const),
  ),
);

describe('reductions: VJPs match central differences', () => {
  it.each(cases)('%s', (name, op, sample, axes, keepDims) => {
    expectGradOk(name, (x) => op(x, axes, keepDims), [sample(1)]);
  });

  it.each(reductions)('%s of a transposed view', (name, op, sample) => {
    expectGradOk(`${name} (transposed)`, (x) => op(x, [0, 1]), [kernels.transpose(sample(2), [2, 0, 1])]);
  });

  it.each(reductions)('%s: second order', (name, op, sample) => {
    const w = normal([3, 5], 3);
    expectGradOk(`${name} (second order)`, (x) => grad((y: Tensor) => r.sum(mul(op(y, 1), w)))(x), [sample(4)]);
  });
});

describe('softmax and logSoftmax', () => {
  const fns: [string, (x: Tensor, axis?: number) => Tensor][] = [['softmax', softmax], ['logSoftmax', logSoftmax]];
  const axes = [0, 1, -1, undefined];
  it.each(fns.flatMap(([name, f]) => axes.map((a) => [`${name} on axis ${a ?? 'default'}`, f, a] as const)))('%s', (name, f, axis) => {
    expectGradOk(name, (x) => f(x, axis), [normal(SHAPE, 5)]);
  });

  it.each(fns)('%s: second order and a transposed input', (name, f) => {
    const w = normal(SHAPE, 6);
    expectGradOk(`${name} (second order)`, (x) => grad((y: Tensor) => r.sum(mul(f(y, 1), w)))(x), [normal(SHAPE, 7)]);
    expectGradOk(`${name} (transposed)`, (x) => f(x, 0), [kernels.transpose(normal([5, 4], 8))]);
  });

  it('softmax values: [0, ln 2] gives [1/3, 2/3]; its gradient sums to zero along the axis', () => {
    expectClose(softmax(f64([0, Math.LN2])), [1 / 3, 2 / 3]);
    const g = grad((x: Tensor) => r.sum(mul(softmax(x), f64([1, 5, 2]))))(f64([0.1, -0.3, 0.7]));
    expect(Math.abs(r.sum(g).item())).toBeLessThan(1e-15);
  });
});

describe('prod', () => {
  it('forward and gradient without zeros: d/dx_i Π x = Π x / x_i', () => {
    const x = f64([[1, 2], [3, 4]]);
    expectClose(r.prod(x, 0), [3, 8]);
    expectClose(grad((y: Tensor) => r.prod(y))(x), [[24, 12], [8, 6]]);
  });

  it('with zeros the gradient is the exact product of the other elements', () => {
    // slice [0, 2, 3]: one zero; slice [0, 0, 5]: two zeros, so every gradient is 0
    const g = grad((y: Tensor) => r.sum(r.prod(y, 1)))(f64([[0, 2, 3], [0, 0, 5]]));
    expectClose(g, [[6, 0, 0], [0, 0, 0]]);
    expectGradOk('prod with zeros', (y) => r.prod(y, [0, 2]), [f64([[[0, 2], [3, 4]], [[-1, 0], [0, 2]], [[0.5, 2], [3, 0]]])]);
  });

  it('second derivative with a zero: the Hessian of Π x is Π of the others (i ≠ j), 0 on the diagonal', () => {
    const x = f64([0, 2, 3]);
    const rows = [0, 1, 2].map((i) => grad((y: Tensor) => r.sum(mul(grad((z: Tensor) => r.prod(z))(y), f64([0, 1, 2].map((j) => +(i === j))))))(x));
    expectClose(rows[0], [0, 3, 2]);
    expectClose(rows[1], [3, 0, 0]);
    expectClose(rows[2], [2, 0, 0]);
    expectGradOk('prod with zeros (second order)', (y) => grad((z: Tensor) => r.sum(r.prod(z, 1)))(y), [f64([[0, 2, 3], [0, 0, 5], [1, 2, 3]])]);
  });

  it('a third derivative through zeros throws a clear error instead of a wrong value', () => {
    const third = (x: Tensor): Tensor => grad((a: Tensor) => r.sum(grad((b: Tensor) => r.sum(grad((c: Tensor) => r.prod(c))(b)))(a)))(x);
    expect(() => third(f64([0, 2, 3]))).toThrow(/prodOthers.*once-differentiable/);
    expect(() => third(f64([1, 2, 3]))).not.toThrow(); // no zeros: prod/x, differentiable to any order
  });
});

afterAll(() => console.log(`reductions: largest maxRelError ${largest.error.toExponential(3)} (${largest.name})`));
