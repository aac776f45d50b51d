// Memory over a long training loop: every step's tape is released after its gradient, nothing module-level
// grows, the time per thousand steps stays flat, and the heap ends near where it began.
import { type Tensor, randomNormal, randomUniform } from '@tapegrad/tensor';
import { describe, expect, it } from 'vitest';
import { add, mul, sub } from './ops/binary.js';
import { matmul } from './ops/matmul.js';
import { mean } from './ops/reduce.js';
import { square, tanh } from './ops/unary.js';
import { activeTapes, isRecording, noGrad } from './recorder.js';
import { GradientTape, producerOf } from './tape.js';
import { Variable } from './variable.js';

const STEPS = 5000;

describe('memory over 5,000 training steps with a new tape per step', () => {
  it('releases every tape, keeps the step time flat and the heap bounded', () => {
    const x = randomUniform([16, 2], { minval: -1, maxval: 1, seed: 1 });
    const y = randomUniform([16, 1], { minval: -1, maxval: 1, seed: 2 });
    const weights = [
      new Variable(randomNormal([2, 8], { seed: 3 }), { name: 'w1' }),
      new Variable(randomNormal([8], { stddev: 0.1, seed: 4 }), { name: 'b1' }),
      new Variable(randomNormal([8, 1], { stddev: 0.5, seed: 5 }), { name: 'w2' }),
    ];
    const [w1, b1, w2] = weights;
    const step = (): void => {
      const tape = new GradientTape();
      const loss = tape.run(() => mean(square(sub(matmul(tanh(add(matmul(x, w1), b1)), w2), y))));
      const grads = tape.gradient(loss, weights);
      noGrad(() => weights.forEach((w, i) => w.assign(sub(w, mul(grads[i] as Tensor, 0.05)))));
      // the tape let go of everything: no records, and its outputs no longer map to records (toDot's index)
      if (tape.records.length !== 0 || producerOf(loss) !== undefined) throw new Error('a released tape kept records');
    };
    for (let i = 0; i < 200; i++) step(); // warm up the JIT before measuring
    const heapBefore = process.memoryUsage().heapUsed;
    const times: number[] = [];
    for (let k = 0; k < STEPS / 1000; k++) {
      const start = performance.now();
      for (let i = 0; i < 1000; i++) step();
      times.push(performance.now() - start);
    }
    const heapAfter = process.memoryUsage().heapUsed;
    // no tape stays active and nothing records after the loop
    expect(activeTapes()).toHaveLength(0);
    expect(isRecording()).toBe(false);
    // the last thousand steps take about as long as the first (generous: 3x, for a noisy machine)
    expect(times[times.length - 1], `ms per 1,000 steps: ${times.map((t) => t.toFixed(0)).join(', ')}`).toBeLessThan(3 * times[0] + 50);
    // the heap ends within 50 MB of where it began (garbage not yet collected included)
    expect((heapAfter - heapBefore) / 2 ** 20).toBeLessThan(50);
  });
});
