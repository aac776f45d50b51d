// Gradient checks of the binary ops with broadcasting (a table of ops and operand shapes), plus their edge rules.
import { type Tensor, kernels, tensor } from '@tapegrad/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { grad } from '../grad.js';
import { expectGradOk, f64, largest, normal, offZero, uniform } from '../test-utils.js';
import * as b from './binary.js';
import { sum } from './reduce.js';

type Binary = (x: Tensor, y: Tensor) => Tensor;
type Sampler = (shape: number[], seed: number) => Tensor;
const any: Sampler = normal;
const positive: Sampler = (shape, seed) => uniform(shape, 0.3, 2, seed);

// Each row: op, sampler for a, sampler for b. maximum/minimum use independent normals: ties have probability 0.
const ops: [string, Binary, Sampler, Sampler][] = [
  ['add', b.add, any, any],
  ['sub', b.sub, any, any],
  ['mul', b.mul, any, any],
  ['div', b.div, any, offZero],
  ['pow', b.pow, positive, any],
  ['maximum', b.maximum, any, any],
  ['minimum', b.minimum, any, any],
  ['squaredDifference', b.squaredDifference, any, any],
];

// Operand shapes: equal, broadcast both ways, against a scalar tensor, and rank-1 against rank-3.
const shapes: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[3, 1, 4], [2, 4]],
  [[4], [2, 3, 4]],
  [[2, 3], []],
  [[], [3]],
];

const cases = ops.flatMap(([name, op, sa, sb]) =>
  shapes.map(([ashape, bshape], k) => [`${name} ${JSON.stringify(ashape)} with ${JSON.stringify(bshape)}`, op, sa(ashape, 10 + k), sb(bshape, 20 + k)] as const),
);

describe('binary ops: VJPs match central differences, both operands, with broadcasting', () => {
  it.each(cases)('%s', (name, op, a, bb) => {
    expectGradOk(name, op, [a, bb]);
  });

  it.each(ops)('%s with non-contiguous operands (a transposed view and a slice)', (name, op, sa, sb) => {
    const a = kernels.transpose(sa([4, 3], 5));
    const bb = kernels.slice(sb([5, 6], 6), [1, 2], [3, 4]);
    expectGradOk(`${name} (views)`, op, [a, bb]);
  });

  it.each(ops)('%s with a plain number as the other operand', (name, op, sa) => {
    expectGradOk(`${name} (number)`, (x) => op(x, 0.7 as unknown as Tensor), [sa([2, 3], 7)]);
  });

  it.each(ops)('%s: second order in both operands', (name, op, sa, sb) => {
    const w = normal([3, 2, 4], 8);
    const df = (x: Tensor, y: Tensor): Tensor => {
      const [dx, dy] = grad((p: Tensor, q: Tensor) => sum(b.mul(op(p, q), w)))(x, y);
      return b.add(sum(b.mul(dx, dx)), sum(dy)); // a scalar mixing both gradients
    };
    expectGradOk(`${name} (second order)`, df, [sa([3, 1, 4], 30), sb([2, 4], 31)]);
  });
});

describe('binary ops: conventions', () => {
  it('pow: the gradient for the exponent is 0 where the base is <= 0, not NaN, also at second order', () => {
    const a = f64([-2, 0, 3]);
    const e = f64([2, 2, 2]);
    const [da, de] = grad((x: Tensor, y: Tensor) => sum(b.pow(x, y)))(a, e);
    expect(Array.from(da.toTypedArray())).toEqual([-4, 0, 6]);
    expect(de.toTypedArray()[0]).toBe(0);
    expect(de.toTypedArray()[1]).toBe(0);
    expect(de.toTypedArray()[2]).toBeCloseTo(9 * Math.log(3), 12);
    // d/da of (d/de a^e) = a^(e-1)·(1 + e·ln a); 0 where a <= 0 (not NaN from log(0) in the second pass)
    const dde = grad((x: Tensor) => sum(grad((y: Tensor) => sum(b.pow(x, y)))(e)))(a);
    expect(Array.from(dde.toTypedArray().slice(0, 2))).toEqual([0, 0]);
    expect(dde.toTypedArray()[2]).toBeCloseTo(3 * (1 + 2 * Math.log(3)), 12);
  });

  it('maximum and minimum send the gradient of a tie to the first operand', () => {
    const [da, db] = grad((x: Tensor, y: Tensor) => sum(b.maximum(x, y)))(f64([1, 2]), f64([1, 3]));
    expect(Array.from(da.toTypedArray())).toEqual([1, 0]);
    expect(Array.from(db.toTypedArray())).toEqual([0, 1]);
    const [ma, mb] = grad((x: Tensor, y: Tensor) => sum(b.minimum(x, y)))(f64([1, 2]), f64([1, 3]));
    expect(Array.from(ma.toTypedArray())).toEqual([1, 1]);
    expect(Array.from(mb.toTypedArray())).toEqual([0, 0]);
  });

  it('a number operand takes the tensor dtype', () => {
    expect(b.add(tensor([1], [1], 'float64'), 1).dtype).toBe('float64');
    expect(b.mul(2, tensor([1])).dtype).toBe('float32');
  });
});

afterAll(() => console.log(`binary ops: largest maxRelError ${largest.error.toExponential(3)} (${largest.name})`));
