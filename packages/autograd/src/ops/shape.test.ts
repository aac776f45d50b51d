// Gradient checks of the ops that move elements (a table: reshape ... gather), of where/clip/cast, and oneHot's constancy.
import { type Tensor, kernels, tensor } from '@tapegrad/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import '../methods.js';
import { grad } from '../grad.js';
import { GradientTape } from '../tape.js';
import { expectClose, expectGradOk, f64, largest, normal } from '../test-utils.js';
import { greater, mul } from './binary.js';
import { gather, scatterAdd } from './gather.js';
import { concat, split, stack } from './join.js';
import { oneHot } from './one-hot.js';
import { sum } from './reduce.js';
import { cast, clip, where } from './select.js';
import * as sh from './shape.js';
import { tile } from './tile.js';
import { square } from './unary.js';

type Case = [string, (...xs: Tensor[]) => Tensor, () => Tensor[]];
const n = (shape: number[], seed = 1) => (): Tensor[] => [normal(shape, seed)];

// Each row: name, the function of the inputs, and the inputs (transposed views and slices included).
const table: Case[] = [
  ['reshape', (x) => sh.reshape(x, [4, -1]), n([2, 3, 4])],
  ['reshape of a transposed view (copies)', (x) => sh.reshape(x, [-1]), () => [kernels.transpose(normal([3, 4], 2))]],
  ['transpose (default: reversed)', (x) => sh.transpose(x), n([2, 3, 4])],
  ['transpose [1, 2, 0]', (x) => sh.transpose(x, [1, 2, 0]), n([2, 3, 4])],
  ['expandDims', (x) => sh.expandDims(x, 1), n([3, 4])],
  ['expandDims -1', (x) => sh.expandDims(x, -1), n([3, 4])],
  ['squeeze (all)', (x) => sh.squeeze(x), n([3, 1, 4, 1])],
  ['squeeze axis 1', (x) => sh.squeeze(x, 1), n([3, 1, 4, 1])],
  ['broadcastTo [2, 3, 4]', (x) => sh.broadcastTo(x, [2, 3, 4]), n([3, 1])],
  ['broadcastTo its own shape', (x) => sh.broadcastTo(x, [3, 4]), n([3, 4])],
  ['slice', (x) => sh.slice(x, [1, 0, 2], [2, -1, 2]), n([3, 4, 5])],
  ['slice, negative begin', (x) => sh.slice(x, [-2, 1]), n([4, 5])],
  ['slice of a slice view', (x) => sh.slice(x, [1, 1], [2, 2]), () => [kernels.slice(normal([5, 6], 3), [1, 1], [4, 4])]],
  ['pad', (x) => sh.pad(x, [[1, 2], [0, 3]]), n([3, 4])],
  ['pad with a value, transposed input', (x) => sh.pad(x, [[2, 0], [1, 1]], 5), () => [kernels.transpose(normal([4, 3], 4))]],
  ['tile [2, 3]', (x) => tile(x, [2, 3]), n([3, 2])],
  ['tile [1, 2, 2]', (x) => tile(x, [1, 2, 2]), n([2, 3, 2])],
  ['tile of a transposed view', (x) => tile(x, [3, 1]), () => [kernels.transpose(normal([2, 3], 5))]],
  ['concat axis 0', (a, b) => concat([a, b], 0), () => [normal([2, 3], 1), normal([4, 3], 2)]],
  ['concat axis -1 of three, one a view', (a, b, c) => concat([a, b, c], -1), () => [normal([2, 1], 1), kernels.transpose(normal([3, 2], 2)), normal([2, 2], 3)]],
  ['concat of one tensor with itself', (a) => concat([a, a], 1), n([2, 3])],
  ['stack axis 0', (a, b) => stack([a, b]), () => [normal([2, 3], 1), normal([2, 3], 2)]],
  ['stack axis 2 (last)', (a, b, c) => stack([a, b, c], 2), () => [normal([2, 3], 1), normal([2, 3], 2), normal([2, 3], 3)]],
  ['split into 3 equal pieces', (x) => { const [a, b, c] = split(x, 3, 1); return concat([c, mul(a, 2), square(b)], 1); }, n([2, 6])],
  ['split by sizes [1, -1, 2]', (x) => { const [a, b, c] = split(x, [1, -1, 2]); return sum(mul(a, 3)).add(sum(square(b))).add(sum(c)); }, n([6, 2])],
  ['gather axis 0, repeated indices', (x) => gather(x, [2, 0, 2, 2]), n([3, 4])],
  ['gather axis 1 with a tensor of indices', (x) => gather(x, tensor([[1, 1], [3, 0]]), 1), n([2, 4, 3])],
  ['gather of a transposed view', (x) => gather(x, [0, 0, 1], -1), () => [kernels.transpose(normal([2, 3], 6))]],
  ['scatterAdd', (u) => scatterAdd([4, 3], [1, 3, 1], u), n([3, 3])],
  ['where (both branches)', (a, b) => where(tensor([[1, 0, 1], [0, 0, 1]], [2, 3], 'float64'), a, b), () => [normal([2, 3], 1), normal([3], 2)]],
  ['where with a number branch', (a) => where(tensor([1, 0, 1], [3], 'float64'), a, 2), n([2, 3])],
  ['clip (inputs away from the bounds)', (x) => clip(x, -0.5, 0.5), () => [f64([[-1, -0.3, 0.2], [0.45, 0.7, -0.6]])]],
  ['cast to its own dtype', (x) => cast(x, 'float64'), n([3])],
];

describe('shape, join, gather and select ops: VJPs match central differences', () => {
  it.each(table)('%s', (name, f, inputs) => {
    expectGradOk(name, f, inputs());
  });

  it.each(table)('%s: second order', (name, f, inputs) => {
    const xs = inputs();
    const w = normal(f(...xs).shape, 7);
    const df = (...ys: Tensor[]): Tensor => {
      const g = grad((...zs: Tensor[]) => sum(mul(square(f(...zs)), w)), { argnums: ys.map((_, i) => i) })(...ys);
      return concat(g.map((gi) => sh.reshape(gi, [-1])), 0); // every gradient element, checked by the projection
    };
    expectGradOk(`${name} (second order)`, df, xs);
  });
});

describe('values and conventions', () => {
  it('gather sends repeated indices\' gradients to the same row, added', () => {
    const g = grad((x: Tensor) => sum(gather(x, [2, 0, 2])))(f64([[1, 2], [3, 4], [5, 6]]));
    expectClose(g, [[1, 1], [0, 0], [2, 2]]);
  });

  it('tile: each element\'s gradient is the count of its copies', () => {
    expectClose(grad((x: Tensor) => sum(tile(x, [2, 3])))(f64([[1, 2]])), [[6, 6]]);
  });

  it('concat, stack and split values', () => {
    expect(concat([f64([[1, 2]]), f64([[3, 4]])], 0).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(stack([f64([1, 2]), f64([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(split(f64([1, 2, 3, 4, 5, 6]), [1, -1, 2]).map((t) => t.toArray())).toEqual([[1], [2, 3, 4], [5, 6]]);
    expect(() => concat([], 0)).toThrow(/concat: needs a non-empty list/);
  });

  it('clip: the gradient is 1 inside [min, max], bounds included, and 0 outside', () => {
    expectClose(grad((x: Tensor) => sum(clip(x, 0, 1)))(f64([-1, 0, 0.5, 1, 2])), [0, 1, 1, 1, 0]);
  });

  it('cast: the gradient comes back in the input dtype', () => {
    const x = tensor([1, 2], [2], 'float32');
    const g = grad((y: Tensor) => sum(cast(square(y), 'float64')))(x);
    expect(g.dtype).toBe('float32');
    expect(Array.from(g.toTypedArray())).toEqual([2, 4]);
  });

  it('where: the condition is a constant, each branch gets the gradient where chosen', () => {
    const [da, db] = grad((a: Tensor, b: Tensor) => sum(where(greater(a, 0), a, b)))(f64([1, -1]), f64([5, 5]));
    expectClose(da, [1, 0]);
    expectClose(db, [0, 1]);
  });

  it('oneHot: values, and it is not differentiable (a gradient of its output is an error naming it)', () => {
    expect(oneHot([2, 0], 3).toArray()).toEqual([[0, 0, 1], [1, 0, 0]]);
    const idx = f64([1, 0]);
    const tape = new GradientTape();
    tape.watch(idx);
    const y = tape.run(() => oneHot(idx, 2, { dtype: 'float64' }));
    expect(y.toArray()).toEqual([[0, 1], [1, 0]]);
    expect(() => tape.gradient(y, idx, { outputGradient: f64([[1, 1], [1, 1]]) })).toThrow(/produced by oneHot.*not differentiable/);
  });
});

afterAll(() => console.log(`shape ops: largest maxRelError ${largest.error.toExponential(3)} (${largest.name})`));
