// Tests of the chainable methods: each one gives the same values and records the same op as its free function.
import { type Tensor, tensor } from '@tapegrad/tensor';
import { describe, expect, it } from 'vitest';
import './methods.js';
import * as ops from './ops/index.js';
import { GradientTape } from './tape.js';
import { f64 } from './test-utils.js';

const x = f64([[0.5, -1.2, 2], [0.3, 0.9, -0.4]]);
const y = f64([[1.5, 0.2, -2], [0.3, -0.7, 1.4]]);

// Each row: method name, the method call, the free-function call.
const table: [string, (t: Tensor) => Tensor, (t: Tensor) => Tensor][] = [
  ['matmul', (t) => t.matmul(y, { transposeB: true }), (t) => ops.matmul(t, y, { transposeB: true })],
  ['softmax', (t) => t.softmax(0), (t) => ops.softmax(t, 0)],
  ['logSoftmax', (t) => t.logSoftmax(), (t) => ops.logSoftmax(t)],
  ['prod', (t) => t.prod(1, true), (t) => ops.prod(t, 1, true)],
  ['logSumExp', (t) => t.logSumExp(0), (t) => ops.logSumExp(t, 0)],
  ['squaredDifference', (t) => t.squaredDifference(y), (t) => ops.squaredDifference(t, y)],
  ['floor', (t) => t.floor(), ops.floor],
  ['ceil', (t) => t.ceil(), ops.ceil],
  ['round', (t) => t.round(), ops.round],
  ['sign', (t) => t.sign(), ops.sign],
  ['sin', (t) => t.sin(), ops.sin],
  ['cos', (t) => t.cos(), ops.cos],
  ['erf', (t) => t.erf(), ops.erf],
  ['expm1', (t) => t.expm1(), ops.expm1],
  ['log1p', (t) => t.abs().log1p(), (t) => ops.log1p(ops.abs(t))],
  ['greaterEqual', (t) => t.greaterEqual(0.3), (t) => ops.greaterEqual(t, 0.3)],
  ['lessEqual', (t) => t.lessEqual(y), (t) => ops.lessEqual(t, y)],
  ['notEqual', (t) => t.notEqual(0.3), (t) => ops.notEqual(t, 0.3)],
  ['tile', (t) => t.tile([2, 1]), (t) => ops.tile(t, [2, 1])],
  ['pad', (t) => t.pad([[1, 0], [0, 2]], 3), (t) => ops.pad(t, [[1, 0], [0, 2]], 3)],
  ['gather', (t) => t.gather([2, 0, 0], 1), (t) => ops.gather(t, [2, 0, 0], 1)],
  ['split', (t) => t.split([1, 2], 1)[1], (t) => ops.split(t, [1, 2], 1)[1]],
];

describe('chainable methods', () => {
  it.each(table)('%s records like the free function', (_name, method, free) => {
    const run = (f: (t: Tensor) => Tensor) => {
      const tape = new GradientTape();
      tape.watch(x);
      const out = tape.run(() => f(x));
      return { out: out.toArray(), ops: tape.records.map((r) => r.op) };
    };
    expect(run(method)).toEqual(run(free));
  });

  it('x.matmul(w).add(b).relu().sum() chains on plain float32 tensors too', () => {
    const out = tensor([[1, 2]]).matmul(tensor([[1], [-1]])).add(3).relu().sum();
    expect(out.item()).toBe(2);
  });
});
