// Gradient checks of every unary op (a table: op and input sampler), first and second order, in float64.
import { type Tensor, kernels, tensor } from '@tapegrad/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { grad } from '../grad.js';
import { distinct, expectGradOk, largest, normal, offZero, uniform } from '../test-utils.js';
import { mul } from './binary.js';
import { sum } from './reduce.js';
import * as u from './unary.js';

type Unary = (x: Tensor) => Tensor;
const SHAPE = [3, 4];
const affine = (x: Tensor, a: number, b: number): Tensor => kernels.add(kernels.mul(x, tensor(a, [], 'float64')), tensor(b, [], 'float64'));

// Each row: the op, and a sampler that keeps inputs off its kinks and poles.
const table: [string, Unary, (seed: number) => Tensor][] = [
  ['neg', u.neg, (s) => normal(SHAPE, s)],
  ['abs', u.abs, (s) => offZero(SHAPE, s)],
  ['exp', u.exp, (s) => normal(SHAPE, s)],
  ['expm1', u.expm1, (s) => normal(SHAPE, s)],
  ['log', u.log, (s) => uniform(SHAPE, 0.2, 3, s)],
  ['log1p', u.log1p, (s) => uniform(SHAPE, -0.7, 3, s)],
  ['sqrt', u.sqrt, (s) => uniform(SHAPE, 0.2, 3, s)],
  ['rsqrt', u.rsqrt, (s) => uniform(SHAPE, 0.2, 3, s)],
  ['square', u.square, (s) => normal(SHAPE, s)],
  ['reciprocal', u.reciprocal, (s) => offZero(SHAPE, s)],
  ['relu', u.relu, (s) => offZero(SHAPE, s)],
  ['sigmoid', u.sigmoid, (s) => normal(SHAPE, s)],
  ['tanh', u.tanh, (s) => normal(SHAPE, s)],
  ['softplus', u.softplus, (s) => normal(SHAPE, s)],
  ['sin', u.sin, (s) => normal(SHAPE, s)],
  ['cos', u.cos, (s) => normal(SHAPE, s)],
  ['erf', u.erf, (s) => normal(SHAPE, s)],
  // piecewise constant: gradient 0, and the samples sit at least 0.05 from every integer and from 0
  ['sign', u.sign, (s) => offZero(SHAPE, s)],
  ['floor', u.floor, (s) => affine(distinct(SHAPE, s), 1.01, 0.05)],
  ['ceil', u.ceil, (s) => affine(distinct(SHAPE, s), 1.01, 0.05)],
  ['round', u.round, (s) => affine(distinct(SHAPE, s), 1.01, 0.3)],
];

describe('unary ops: VJPs match central differences', () => {
  it.each(table)('%s', (name, op, sample) => {
    expectGradOk(name, op, [sample(1)]);
  });

  it.each(table)('%s on a transposed (non-contiguous) view', (name, op, sample) => {
    expectGradOk(`${name} (transposed)`, op, [kernels.transpose(sample(2))]);
  });

  it.each(table)('%s on a slice of a larger tensor', (name, op, sample) => {
    expectGradOk(`${name} (slice)`, op, [kernels.slice(sample(3), [1, 1], [2, 3])]);
  });
});

describe('unary ops: second order (the VJPs differentiate again)', () => {
  it.each(table)('%s', (name, op, sample) => {
    const w = normal(SHAPE, 9);
    const df = (x: Tensor): Tensor => grad((y: Tensor) => sum(mul(op(y), w)))(x);
    expectGradOk(`${name} (second order)`, df, [sample(4)]);
  });

  it('the samples of the piecewise-constant ops really are off their jumps', () => {
    for (const [name, op, sample] of table.slice(-4)) {
      const x = sample(1);
      const moved = op(affine(x, 1, 1e-3)).toTypedArray();
      expect(Array.from(op(x).toTypedArray()), name).toEqual(Array.from(moved));
    }
  });
});

afterAll(() => console.log(`unary ops: largest maxRelError ${largest.error.toExponential(3)} (${largest.name})`));
