// End to end: a 2→8 tanh→1 network written with raw ops and Variables, trained by plain gradient descent.
import { type Tensor, randomNormal, randomUniform } from '@tapegrad/tensor';
import { describe, expect, it } from 'vitest';
import { gradCheck } from './gradcheck.js';
import { add, mul, sub } from './ops/binary.js';
import { matmul } from './ops/matmul.js';
import { mean, sum } from './ops/reduce.js';
import { slice } from './ops/shape.js';
import { square, tanh } from './ops/unary.js';
import { noGrad } from './recorder.js';
import { GradientTape } from './tape.js';
import { Variable } from './variable.js';

// The problem: y = 3·x₀·x₁ on 32 points of [-1, 1]² (a saddle: no linear model fits it, one hidden layer does).
const X = randomUniform([32, 2], { minval: -1, maxval: 1, dtype: 'float64', seed: 7 });
const Y = mul(mul(slice(X, [0, 0], [32, 1]), slice(X, [0, 1], [32, 1])), 3);

/** The network's loss: mean((tanh(x·W1 + b1)·W2 + b2 - y)²). */
const loss = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor =>
  mean(square(sub(add(matmul(tanh(add(matmul(X, w1), b1)), w2), b2), Y)));

function makeWeights(seed: number): Variable[] {
  const init = (shape: number[], s: number, stddev: number) => randomNormal(shape, { stddev, dtype: 'float64', seed: seed + s });
  return [
    new Variable(init([2, 8], 1, 1), { name: 'w1' }),
    new Variable(init([8], 2, 0.1), { name: 'b1' }),
    new Variable(init([8, 1], 3, 0.5), { name: 'w2' }),
    new Variable(init([1], 4, 0.1), { name: 'b2' }),
  ];
}

describe('training a two-layer network with raw ops', () => {
  it('gradient descent lowers the loss by a clear factor, with a fresh tape per step', () => {
    const weights = makeWeights(100);
    const [w1, b1, w2, b2] = weights;
    const lr = 0.1;
    const history: number[] = [];
    for (let step = 0; step < 600; step++) {
      const tape = new GradientTape();
      const value = tape.run(() => loss(w1, b1, w2, b2));
      const grads = tape.gradient(value, weights);
      noGrad(() => weights.forEach((w, i) => w.assign(sub(w, mul(grads[i] as Tensor, lr)))));
      history.push(value.item());
      expect(tape.records).toHaveLength(0);
    }
    const [first, last] = [history[0], history[history.length - 1]];
    expect(last).toBeLessThan(first / 20); // measured: 0.76 → 0.0094
    expect(last).toBeLessThan(0.02);
    // the loss falls steadily: each hundred steps end lower than they began
    for (let s = 0; s + 100 < history.length; s += 100) expect(history[s + 100]).toBeLessThan(history[s]);
  });

  it('its gradients pass gradCheck in float64, at the start and after training', () => {
    const weights = makeWeights(200);
    const report = gradCheck(loss, weights);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
    for (let step = 0; step < 200; step++) {
      const tape = new GradientTape();
      const value = tape.run(() => loss(weights[0], weights[1], weights[2], weights[3]));
      const grads = tape.gradient(value, weights);
      weights.forEach((w, i) => w.assign(sub(w, mul(grads[i] as Tensor, 0.1))));
    }
    const trained = gradCheck(loss, weights);
    expect(trained.maxRelError, trained.toString()).toBeLessThan(1e-6);
    expect(sum(square(Y)).item()).toBeGreaterThan(0); // the problem is not trivial
  });
});
