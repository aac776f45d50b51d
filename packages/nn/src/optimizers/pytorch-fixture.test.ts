// Optimizer trajectories against PyTorch's, from test/fixtures/optimizers.json (made by test/fixtures/optimizers.py,
// which states for each case why PyTorch's update equals Keras 3's there).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '@tapegrad/tensor';
import { Variable } from '@tapegrad/autograd';
import { getOptimizer } from './get-optimizer.js';

interface FixtureCase {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  torch: string;
  trajectory: number[][];
}

interface Fixture {
  torch: string;
  w0: number[];
  grads: number[][];
  cases: FixtureCase[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../../../test/fixtures/optimizers.json', import.meta.url), 'utf8'),
) as Fixture;

describe(`PyTorch ${fixture.torch} trajectories (float64, to 1e-12)`, () => {
  it('covers every optimizer class', () => {
    expect(new Set(fixture.cases.map((c) => c.optimizer))).toEqual(new Set(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad']));
  });

  for (const c of fixture.cases) {
    it(`${c.name}: ${c.torch}`, () => {
      const opt = getOptimizer({ className: c.optimizer, config: c.options });
      const w = new Variable(tensor(fixture.w0, undefined, 'float64'));
      fixture.grads.forEach((g, k) => {
        opt.applyGradients([[tensor(g, undefined, 'float64'), w]]);
        const want = c.trajectory[k];
        for (let i = 0; i < want.length; i++) expect(Math.abs(w.data[i] - want[i]), `step ${k + 1}, element ${i}`).toBeLessThan(1e-12);
      });
      expect(opt.iterations).toBe(fixture.grads.length);
    });
  }
});
