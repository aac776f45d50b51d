// Tests of GradientTape: watching, persistence, release, bad targets and sources, versions, noGrad, printing.
import { type Tensor, tensor } from '@tapegrad/tensor';
import { describe, expect, it } from 'vitest';
import { stopGradient } from './grad.js';
import { add, greater, mul, sub } from './ops/binary.js';
import { argmax, sum } from './ops/reduce.js';
import { broadcastTo, reshape } from './ops/shape.js';
import { exp, log, square } from './ops/unary.js';
import { noGrad } from './recorder.js';
import { GradientTape } from './tape.js';
import { expectClose, f64 } from './test-utils.js';
import { Variable } from './variable.js';

const values = (t: Tensor | null): number[] => Array.from((t as Tensor).toTypedArray());

describe('watching', () => {
  it('a watched tensor gets a gradient; an unwatched one gets null', () => {
    const x = f64([1, 2]);
    const y = f64([3, 4]);
    const tape = new GradientTape();
    tape.watch(x);
    const z = tape.run(() => sum(mul(x, y)));
    const [dx, dy] = tape.gradient(z, [x, y]);
    expect(values(dx)).toEqual([3, 4]);
    expect(dy).toBeNull();
  });

  it('trainable variables are watched automatically; non-trainable ones are not', () => {
    const w = new Variable(f64([1, 2]), { name: 'w' });
    const frozen = new Variable(f64([5, 6]), { name: 'frozen', trainable: false });
    const tape = new GradientTape();
    const z = tape.run(() => sum(mul(w, frozen)));
    const [dw, df] = tape.gradient(z, [w, frozen]);
    expect(values(dw)).toEqual([5, 6]);
    expect(df).toBeNull();
    expect(tape.watchedVariables()).toEqual([w]);
  });

  it('watchAccessedVariables: false watches only what watch() names (a variable included)', () => {
    const w = new Variable(f64([1, 2]), { name: 'w' });
    const v = new Variable(f64([3, 4]), { name: 'v' });
    const tape = new GradientTape({ watchAccessedVariables: false });
    tape.watch(v);
    const z = tape.run(() => sum(mul(w, v)));
    const [dw, dv] = tape.gradient(z, [w, v]);
    expect(dw).toBeNull();
    expect(values(dv)).toEqual([1, 2]);
    expect(tape.watchedVariables()).toEqual([v]);
  });

  it('ops run outside run() are not recorded', () => {
    const x = f64([2]);
    const tape = new GradientTape();
    tape.watch(x);
    const outside = square(x);
    expect(tape.records).toHaveLength(0);
    const z = tape.run(() => sum(mul(outside, x)));
    expect(values(tape.gradient(z, x))).toEqual([4]); // `outside` is a constant to this tape
  });
});

describe('persistence and release', () => {
  it('a persistent tape gives several gradients', () => {
    const x = f64([1, 2]);
    const tape = new GradientTape({ persistent: true });
    tape.watch(x);
    const [y, z] = tape.run(() => [sum(square(x)), sum(exp(x))]);
    expect(values(tape.gradient(y, x))).toEqual([2, 4]);
    expectClose(tape.gradient(z, x) as Tensor, [Math.E, Math.exp(2)]);
    expect(values(tape.gradient(y, x))).toEqual([2, 4]);
    expect(tape.records.length).toBeGreaterThan(0);
  });

  it('a non-persistent tape drops its records after one gradient, and a second use throws', () => {
    const x = f64([1, 2]);
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.run(() => sum(square(x)));
    tape.gradient(y, x);
    expect(tape.records).toHaveLength(0);
    expect(() => tape.gradient(y, x)).toThrow(/already computed a gradient.*persistent: true/);
    expect(() => tape.run(() => square(x))).toThrow(/GradientTape.run: this tape has already/);
    expect(() => tape.watch(x)).toThrow(/GradientTape.watch/);
  });

  it('a gradient taken inside run() releases the tape for the rest of run()', () => {
    const w = new Variable(f64([1, 2]));
    const tape = new GradientTape();
    tape.run(() => {
      tape.gradient(sum(square(w)), w);
      square(w); // after the release: not recorded, though w is a trainable variable
    });
    expect(tape.records).toHaveLength(0);
  });

  it('the records are released even when the gradient throws', () => {
    const w = new Variable(f64([1]));
    const tape = new GradientTape();
    const y = tape.run(() => sum(square(w)));
    w.assign(f64([2]));
    expect(() => tape.gradient(y, w)).toThrow();
    expect(tape.records).toHaveLength(0);
  });
});

describe('targets and sources', () => {
  it('a non-scalar target needs outputGradient, which then seeds the backward pass', () => {
    const x = f64([1, 2, 3]);
    const tape = new GradientTape({ persistent: true });
    tape.watch(x);
    const y = tape.run(() => square(x));
    expect(() => tape.gradient(y, x)).toThrow(/target has shape \[3\], not a single element.*outputGradient/);
    expect(values(tape.gradient(y, x, { outputGradient: f64([1, 0, 2]) }))).toEqual([2, 0, 12]);
    expect(() => tape.gradient(y, x, { outputGradient: f64([1, 2]) })).toThrow(/outputGradient has shape \[2\].*target has shape \[3\]/);
  });

  it('a source never recorded or watched gives null by default and zeros with unconnected: "zero"', () => {
    const x = f64([1, 2]);
    const other = f64([[1, 2, 3]]);
    const tape = new GradientTape({ persistent: true });
    tape.watch(x);
    const y = tape.run(() => sum(square(x)));
    expect(tape.gradient(y, other)).toBeNull();
    const zero = tape.gradient(y, other, { unconnected: 'zero' });
    expect(zero.shape).toEqual([1, 3]);
    expect(values(zero)).toEqual([0, 0, 0]);
  });

  it('a target made by argmax or a comparison is an error naming the op', () => {
    const x = f64([1, 3, 2]);
    const tape = new GradientTape({ persistent: true });
    tape.watch(x);
    const [i, mask] = tape.run(() => [argmax(x), greater(x, 1.5)]);
    expect(() => tape.gradient(i, x)).toThrow(/produced by argmax, whose output is not differentiable/);
    expect(() => tape.gradient(mask, x, { outputGradient: f64([1, 1, 1]) })).toThrow(/produced by greater/);
  });

  it('a comparison mask in the computation is a constant', () => {
    const x = f64([-1, 2, 3]);
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.run(() => sum(mul(square(x), greater(x, 0))));
    expectClose(tape.gradient(y, x) as Tensor, [0, 4, 6]);
  });

  it('the target itself as a source gets the seed', () => {
    const x = f64(3);
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.run(() => square(x));
    const [dy, dx] = tape.gradient(y, [y, x]);
    expect(values(dy)).toEqual([1]);
    expect(values(dx)).toEqual([6]);
  });
});

describe('engine details', () => {
  it('a Variable assigned between the forward pass and the gradient is an error naming it and the op', () => {
    const w = new Variable(f64([1, 2]), { name: 'kernel' });
    const tape = new GradientTape();
    const y = tape.run(() => sum(square(w)));
    w.assign(f64([3, 4]));
    expect(() => tape.gradient(y, w)).toThrow(/square: variable 'kernel' was assigned after op #1 read it/);
  });

  it('gradients accumulate when a tensor is used twice (and in both operands of one op)', () => {
    const x = f64([3]);
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.run(() => add(mul(x, x), mul(x, 5))); // x² + 5x
    expect(values(tape.gradient(y, x))).toEqual([11]);
  });

  it('an op whose output is its own input (broadcastTo, reshape to the same shape) still records a step', () => {
    const x = f64([1, 2]);
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.run(() => sum(mul(broadcastTo(reshape(x, [2]), [2]), x)));
    expect(tape.records.map((r) => r.op)).toEqual(['reshape', 'broadcastTo', 'mul', 'sum']);
    expect(new Set(tape.records.map((r) => r.output)).size).toBe(4); // one producer per tensor
    expect(values(tape.gradient(y, x))).toEqual([2, 4]);
  });

  it('noGrad switches recording off; stopGradient makes a constant', () => {
    const x = f64([2]);
    const tape = new GradientTape();
    tape.watch(x);
    const y = tape.run(() => add(mul(x, noGrad(() => square(x))), mul(x, stopGradient(x))));
    expect(tape.records.map((r) => r.op)).toEqual(['mul', 'mul', 'add']);
    expect(values(tape.gradient(y, x))).toEqual([4 + 2]); // x·c1 + x·c2 with c1 = 4, c2 = 2
  });

  it('a tape run inside noGrad still records its own ops', () => {
    const x = f64([2]);
    const dx = noGrad(() => {
      const tape = new GradientTape();
      tape.watch(x);
      const y = tape.run(() => square(x));
      return tape.gradient(y, x);
    });
    expect(values(dx)).toEqual([4]);
  });

  it('run refuses an async function', () => {
    const tape = new GradientTape();
    expect(() => tape.run(async () => 1)).toThrow(/returned a Promise/);
  });
});

describe('printing', () => {
  it('toString lists each record: id, op, inputs and output with shapes, variable names', () => {
    const w = new Variable(tensor([[1], [2]]), { name: 'w' });
    const x = tensor([[3, 4]]);
    const tape = new GradientTape();
    const loss = tape.run(() => sum(square(sub(mul(x, reshape(w, [1, 2])), 1))));
    const lines = tape.toString().split('\n');
    expect(lines[0]).toBe('GradientTape(5 records)');
    expect(lines[1]).toMatch(/^ {2}#1 reshape\(w \[2, 1\]\) -> t\d+ \[1, 2\]$/);
    expect(lines[2]).toMatch(new RegExp(`^  #2 mul\\(t${x.id} \\[1, 2\\], t\\d+ \\[1, 2\\]\\) -> t\\d+ \\[1, 2\\]$`));
    expect(lines[3]).toMatch(/^ {2}#3 sub\(t\d+ \[1, 2\], t\d+ \[\]\) -> t\d+ \[1, 2\]$/);
    expect(lines[5]).toBe(`  #5 sum(t${tape.records[3].output.id} [1, 2]) -> t${loss.id} []`);
    tape.gradient(loss, w);
    expect(tape.toString()).toBe('GradientTape(0 records, released)');
  });

  it('log of a watched tensor records with a readable line', () => {
    const x = f64([1]);
    const tape = new GradientTape({ persistent: true });
    tape.watch(x);
    tape.run(() => log(x));
    expect(tape.toString()).toContain(', persistent)');
    expect(tape.toString()).toContain(`#1 log(t${x.id} [1])`);
  });
});
