// The seed model of the batch-normalization texts, end to end: Keras 3 numbers step by step, then training.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BatchNormalization, Callback, Dense, type Logs, Model, Sequential, type Tensor, TerminateOnNaN,
  makeCircles, resetNames, setSeed, tensor,
} from 'tapegrad';

interface Fixture {
  batch_size: number; x: number[]; y: number[]; initial: Record<string, number[]>;
  steps: { loss: number; weights: Record<string, number[]> }[]; predictions: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/seed_model.json', import.meta.url), 'utf8')) as Fixture;
const ORDER = ['kernel1', 'bias1', 'gamma', 'beta', 'moving_mean', 'moving_variance', 'kernel2', 'bias2'];
const SHAPES = [[2, 50], [50], [50], [50], [50], [50], [50, 1], [1]];

function seedModel(dtype: 'float32' | 'float64' = 'float32'): Sequential {
  return new Sequential(
    [
      new Dense(50, { inputShape: [2], activation: 'relu', kernelInitializer: 'he_uniform', dtype }),
      new BatchNormalization({ dtype }),
      new Dense(1, { activation: 'sigmoid', dtype }),
    ],
    { dtype },
  );
}

function maxRelDiff(actual: Tensor, expected: number[]): number {
  const a = actual.toTypedArray();
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected[i]) / Math.max(1e-3, Math.abs(expected[i])));
  return worst;
}

describe('seed model against a float64 PyTorch transcription of Keras 3 (test/fixtures/seed_model.py)', () => {
  it('three Adam steps give the same losses, weights, moving statistics and predictions', () => {
    const model = seedModel('float64');
    model.setWeights(ORDER.map((k, i) => tensor(Float64Array.from(fixture.initial[k]), SHAPES[i])));
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const n = fixture.y.length;
    const x = tensor(Float64Array.from(fixture.x), [n, 2]);
    const y = tensor(Float64Array.from(fixture.y), [n, 1]);
    const B = fixture.batch_size;
    fixture.steps.forEach((step, s) => {
      const xb = tensor(Float64Array.from(fixture.x.slice(s * B * 2, (s + 1) * B * 2)), [B, 2]);
      const yb = tensor(Float64Array.from(fixture.y.slice(s * B, (s + 1) * B)), [B, 1]);
      const logs = model.trainOnBatch(xb, yb);
      expect(Math.abs(logs.loss - step.loss)).toBeLessThan(1e-12);
      model.weights.forEach((w, i) => expect(maxRelDiff(w, step.weights[ORDER[i]]), w.name).toBeLessThan(1e-9));
    });
    expect(maxRelDiff(model.predict(x, { verbose: 0 }), fixture.predictions)).toBeLessThan(1e-9);
    void y;
  });
});

describe('the seed model trains as in the texts', () => {
  it('prints Keras\'s summary with 401 parameters, 301 trainable', () => {
    resetNames();
    const lines: string[] = [];
    seedModel().summary((l) => lines.push(l));
    expect(lines.join('\n')).toBe(
      [
        'Model: "sequential"',
        '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
        '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
        '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
        '│ dense (Dense)                   │ (None, 50)             │           150 │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ batch_normalization             │ (None, 50)             │           200 │',
        '│ (BatchNormalization)            │                        │               │',
        '├─────────────────────────────────┼────────────────────────┼───────────────┤',
        '│ dense_1 (Dense)                 │ (None, 1)              │            51 │',
        '└─────────────────────────────────┴────────────────────────┴───────────────┘',
        ' Total params: 401 (1.57 KB)',
        ' Trainable params: 301 (1.18 KB)',
        ' Non-trainable params: 100 (400.00 B)',
      ].join('\n'),
    );
  });

  it('lists its weights in Keras\'s order with Keras\'s shapes', () => {
    const model = seedModel();
    expect(model.getWeights().map((w) => w.shape)).toEqual(SHAPES);
    expect(model.trainableWeights.length).toBe(6);
    expect(model.nonTrainableWeights.map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
  });

  it('learns a noisy two-circles problem past 0.9 accuracy; validation uses the last 30 %; History has Keras\'s keys', async () => {
    setSeed(7);
    const { x, y } = makeCircles({ nSamples: 1000, noise: 0.1, factor: 0.5, seed: 3 });
    const model = seedModel();
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 40, batchSize: 32, validationSplit: 0.3, verbose: 0, seed: 1 });
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(history.loss.length).toBe(40);
    expect(history.loss.at(-1)).toBeLessThan(history.loss[0] / 2);
    expect(history.val_accuracy.at(-1)).toBeGreaterThan(0.9);
    // The last epoch's validation numbers are an evaluation of samples 700..999 with the final weights.
    const [valLoss, valAcc] = model.evaluate(x.slice([700], [300]), y.slice([700], [300]), { verbose: 0 }) as number[];
    expect(valLoss).toBeCloseTo(history.val_loss.at(-1) as number, 6);
    expect(valAcc).toBeCloseTo(history.val_accuracy.at(-1) as number, 10);
    const p = model.predict(x, { verbose: 0 });
    expect(p.shape).toEqual([1000, 1]);
  });

  it('is reproducible: the same seeds give the same history', async () => {
    const run = async () => {
      setSeed(5);
      const { x, y } = makeCircles({ nSamples: 200, noise: 0.1, seed: 2 });
      const model = seedModel();
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
      return (await model.fit(x, y, { epochs: 3, verbose: 0 })).loss;
    };
    expect(await run()).toEqual(await run());
  });
});

describe('bad input gets a clear error', () => {
  const { x, y } = makeCircles({ nSamples: 64, noise: 0.1, seed: 1 });
  const compiled = () => {
    const m = seedModel();
    m.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    return m;
  };
  it('fit before compile', async () => {
    await expect(seedModel().fit(x, y)).rejects.toThrow(/call compile\(\{ optimizer, loss, metrics \}\) before fit/);
  });
  it('an input shape that does not match the first layer', async () => {
    await expect(compiled().fit(tensor([[1, 2, 3]]), tensor([[1]]), { verbose: 0 })).rejects.toThrow(
      /Input of layer 'dense(_\d+)?' \(Dense\) is incompatible: expected axis -1 of the input shape to have value 2, but received input with shape \[1, 3\]/,
    );
  });
  it('x and y with different numbers of samples', async () => {
    await expect(compiled().fit(x, y.slice([0], [10]), { verbose: 0 })).rejects.toThrow(/different numbers of samples.*x \[64, 2\], y \[10, 1\]/);
  });
  it('binary crossentropy on 10 outputs', async () => {
    const m = new Sequential([new Dense(10, { inputShape: [2], activation: 'sigmoid' })]);
    m.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/binary_crossentropy.*\[32, 1\].*\[32, 10\]/);
  });
  it('unknown identifiers list the valid ones', () => {
    expect(() => new Dense(3, { activation: 'rellu' })).toThrow(/Unknown activation 'rellu'. Valid activations: .*'relu'/);
    expect(() => seedModel().compile({ optimizer: 'adamm', loss: 'mse' })).toThrow(/adamm.*'adam'/);
    expect(() => seedModel().compile({ optimizer: 'adam', loss: 'binary_crossentropyy' })).toThrow(/binary_crossentropyy.*'binary_crossentropy'/);
  });
  it('setWeights with the wrong count or shapes', () => {
    const m = seedModel();
    expect(() => m.setWeights(m.getWeights().slice(1))).toThrow(/got 7 arrays but the layer has 8 weights/);
    const ws = m.getWeights();
    ws[0] = tensor(new Float32Array(3 * 50), [3, 50]);
    expect(() => m.setWeights(ws)).toThrow(/weight 0 \(dense(_\d+)?\/kernel\) has shape \[2, 50\], got \[3, 50\]/);
  });
  it('non-finite values in x with checkFinite', async () => {
    const bad = tensor([[0, 1], [NaN, 2]]);
    await expect(compiled().fit(bad, tensor([[0], [1]]), { checkFinite: true, verbose: 0 })).rejects.toThrow(/x holds a non-finite value \(NaN\) in sample 1/);
  });
  it('batchSize below 1', async () => {
    await expect(compiled().fit(x, y, { batchSize: 0, verbose: 0 })).rejects.toThrow(/batchSize must be an integer of at least 1, got 0/);
  });
  it('a NaN loss stops training with an error naming the epoch and batch (TerminateOnNaN)', async () => {
    const m = compiled();
    const xs = tensor([[0, 1], [1, 0], [Infinity, 1], [0, 0]]);
    await expect(
      m.fit(xs, tensor([[0], [1], [1], [0]]), { batchSize: 2, shuffle: false, verbose: 0, callbacks: [new TerminateOnNaN({ raiseError: true })] }),
    ).rejects.toThrow(/epoch 1\/1 at batch 1/);
  });
});

describe('the per-call training override works inside predict (Keras: an explicit training beats the outer call)', () => {
  class AlwaysBatchStats extends Model {
    readonly bn = new BatchNormalization();
    override call(x: Tensor): Tensor {
      return this.bn.apply(x, { training: true });
    }
  }
  it('a layer called with training: true uses batch statistics even in predict', () => {
    const model = new AlwaysBatchStats();
    const x = tensor([[1, 10], [3, 30]]);
    const out = model.predict(x, { verbose: 0 }).toArray() as number[][];
    // batch statistics: each column normalizes to -1/√(1+ε/var) and +1/...
    expect(out[0][0]).toBeCloseTo(-1 / Math.sqrt(1 + 1e-3), 5);
    expect(out[1][1]).toBeCloseTo(1 / Math.sqrt(1 + 1e-3 / 100), 5);
  });
  it('a callback sees the model stop when it sets stopTraining', async () => {
    class StopAfterOne extends Callback {
      epochs = 0;
      override onEpochEnd(_epoch: number, _logs: Logs): void {
        this.epochs++;
        if (this.model) this.model.stopTraining = true;
      }
    }
    const m = seedModel();
    m.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const cb = new StopAfterOne();
    const { x, y } = makeCircles({ nSamples: 64, seed: 4 });
    const h = await m.fit(x, y, { epochs: 10, verbose: 0, callbacks: [cb] });
    expect(cb.epochs).toBe(1);
    expect(h.loss.length).toBe(1);
  });
});
