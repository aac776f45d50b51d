// Tests of the weight constraints against Keras 3 (keras/src/constraints/constraints.py): values by hand, names, configs.
import { describe, expect, it } from 'vitest';
import { Constant } from './initializers.js';
import { type Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm, getConstraint } from './constraints.js';
import { expectClose, f64 } from './test-utils.js';

const EPS = 1e-7; // Keras's backend.epsilon(), added to the norms

/** Columns [3, 4] (norm 5) and [0.6, 0.8] (norm 1): axis-0 norms of a [in, units] kernel. */
const W = [[3, 0.6], [4, 0.8]];

/** w scaled per column by factor(norm) / (norm + eps). */
function byColumn(w: number[][], desired: (norm: number) => number): number[][] {
  const norms = w[0].map((_, j) => Math.hypot(...w.map((r) => r[j])));
  return w.map((r) => r.map((v, j) => (v * desired(norms[j])) / (norms[j] + EPS)));
}

/** w scaled per row. */
function byRow(w: number[][], desired: (norm: number) => number): number[][] {
  return w.map((r) => {
    const n = Math.hypot(...r);
    return r.map((v) => (v * desired(n)) / (n + EPS));
  });
}

const apply = (c: Constraint, w: number[][] = W) => c.apply(f64(w));

describe('constraints by hand', () => {
  it('NonNeg sets negative weights to 0', () => {
    expect(apply(new NonNeg(), [[1, -2], [0, -0.5]]).toArray()).toEqual([[1, 0], [0, 0]]);
  });

  it('MaxNorm (default 2, axis 0) rescales each column whose norm exceeds 2, leaves the others', () => {
    const expected = byColumn(W, (n) => Math.min(n, 2)); // column 0 → norm 2: [1.2, 1.6]
    expectClose(apply(new MaxNorm()), expected, 1e-15);
    expectClose(apply(new MaxNorm()), [[1.2, 0.6], [1.6, 0.8]], 1e-6);
  });

  it('MaxNorm along axis 1 scales rows; a conv kernel uses axes [0, 1, 2]', () => {
    expectClose(apply(new MaxNorm(1, 1)), byRow(W, (n) => Math.min(n, 1)), 1e-15);
    // [1, 1, 2, 2] kernel: each filter (last axis) has norm over [0, 1, 2] of column j above.
    const conv = f64([[[[3, 0.6], [4, 0.8]]]]);
    const out = new MaxNorm(2, [0, 1, 2]).apply(conv);
    expect(out.shape).toEqual([1, 1, 2, 2]);
    expectClose(out, byColumn(W, (n) => Math.min(n, 2)), 1e-15);
  });

  it('UnitNorm (axis 0) divides each column by its norm (+ eps)', () => {
    expectClose(apply(new UnitNorm()), byColumn(W, () => 1), 1e-15);
    expectClose(apply(new UnitNorm()), [[0.6, 0.6], [0.8, 0.8]], 1e-6);
    expectClose(apply(new UnitNorm(1)), byRow(W, () => 1), 1e-15);
  });

  it('MinMaxNorm: desired = rate·clip(norm, min, max) + (1 - rate)·norm', () => {
    // defaults min 0, max 1, rate 1: column 0 (norm 5) → 1, column 1 (norm 1) unchanged
    expectClose(apply(new MinMaxNorm()), byColumn(W, (n) => Math.min(n, 1)), 1e-15);
    // min 2, max 3, rate 0.5: column 0: 0.5·3 + 0.5·5 = 4; column 1: 0.5·2 + 0.5·1 = 1.5
    const expected = byColumn(W, (n) => (n > 3 ? 4 : 1.5));
    expectClose(apply(new MinMaxNorm(2, 3, 0.5)), expected, 1e-15);
    expectClose(apply(new MinMaxNorm(2, 3, 0.5)), [[2.4, 0.9], [3.2, 1.2]], 1e-6);
  });

  it('float32 weights stay float32', () => {
    const w = new Constant(-1).init([2, 2], 'float32');
    for (const c of [new NonNeg(), new MaxNorm(), new UnitNorm(), new MinMaxNorm()]) expect(c.apply(w).dtype).toBe('float32');
  });

  it('the input is not modified', () => {
    const w = f64(W);
    new MaxNorm(1).apply(w);
    new NonNeg().apply(f64([[-1]]));
    expect(w.toArray()).toEqual(W);
  });
});

describe('constraint names and configs', () => {
  it.each([
    ['non_neg', 'NonNeg'], ['nonNeg', 'NonNeg'], ['max_norm', 'MaxNorm'], ['maxNorm', 'MaxNorm'], ['unit_norm', 'UnitNorm'],
    ['min_max_norm', 'MinMaxNorm'], ['minMaxNorm', 'MinMaxNorm'],
  ])('%s resolves to %s', (name, className) => {
    expect(getConstraint(name).getConfig().className).toBe(className);
  });

  it('string names take Keras defaults: max_norm 2 along axis 0, min_max_norm [0, 1] rate 1', () => {
    expect(getConstraint('max_norm').getConfig()).toEqual({ className: 'MaxNorm', config: { max_value: 2, axis: 0 } });
    expect(getConstraint('min_max_norm').getConfig()).toEqual({
      className: 'MinMaxNorm', config: { min_value: 0, max_value: 1, rate: 1, axis: 0 },
    });
    expect(getConstraint('unit_norm').getConfig()).toEqual({ className: 'UnitNorm', config: { axis: 0 } });
  });

  it('an unknown name fails, listing the valid names', () => {
    expect(() => getConstraint('positive')).toThrow(/Unknown constraint 'positive'.*'max_norm'.*'non_neg'/);
  });

  it.each([new NonNeg(), new MaxNorm(3, 1), new UnitNorm([0, 1]), new MinMaxNorm(0.5, 2, 0.25, 1)])('config round trip through JSON: %j', (c) => {
    const config = c.getConfig();
    const copy = getConstraint(JSON.parse(JSON.stringify(config)));
    expect(copy.getConfig()).toEqual(config);
    expect(copy.apply(f64([[3, -0.6], [4, 0.8]])).toArray()).toEqual(c.apply(f64([[3, -0.6], [4, 0.8]])).toArray());
  });

  it('a Constraint object is returned as is', () => {
    const c = new MaxNorm(5);
    expect(getConstraint(c)).toBe(c);
  });
});
