// Tests of fit / evaluate / predict against Keras 3's semantics (KERAS_SEMANTICS.md sections 7-8): batching, shuffling,
// validation, epoch numbers, weights, return values and casting, with small models whose numbers are worked by hand.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SEED, Random, type Tensor, setSeed, tensor } from '@tapegrad/tensor';
import { Callback, type Logs, type TrainingParams } from '../callbacks/callback.js';
import { captureStdout } from '../callbacks/test-utils.js';
import { type CallOptions, Layer, type SymbolicShape } from '../layer.js';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Dense } from '../layers/dense.js';
import { SGD } from '../optimizers/sgd.js';
import { expectClose, f64 } from '../test-utils.js';
import { Sequential } from './sequential.js';

afterEach(() => setSeed(DEFAULT_SEED));

/** An identity layer that records, per call, the first feature of each sample (its id), the mode and the dtype. */
class Recorder extends Layer {
  static readonly className = 'Recorder';
  calls: { ids: number[]; training: boolean; dtype: string }[] = [];

  override call(x: Tensor, { training }: Required<CallOptions>): Tensor {
    const data = x.toTypedArray();
    const per = x.size / x.shape[0];
    this.calls.push({ ids: Array.from({ length: x.shape[0] }, (_, i) => data[i * per]), training, dtype: x.dtype });
    return x;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape; // no probe call, so only fit/evaluate/predict calls are recorded
  }

  /** The training batches' ids. */
  train(): number[][] {
    return this.calls.filter((c) => c.training).map((c) => c.ids);
  }

  /** The inference batches' ids (validation, evaluate, predict). */
  inference(): number[][] {
    return this.calls.filter((c) => !c.training).map((c) => c.ids);
  }
}

/** Records every hook with its index and logs. */
class HookLog extends Callback {
  events: string[] = [];
  epochLogs: [number, Logs][] = [];
  batchLogs: Logs[] = [];
  seenParams: TrainingParams | null = null;

  override setParams(params: TrainingParams): void {
    super.setParams(params);
    this.seenParams = { ...params };
  }
  override onEpochBegin(epoch: number): void {
    this.events.push(`epoch ${epoch}`);
  }
  override onEpochEnd(epoch: number, logs: Logs): void {
    this.events.push(`end ${epoch}`);
    this.epochLogs.push([epoch, { ...logs }]);
  }
  override onTrainBatchBegin(batch: number): void {
    this.events.push(`batch ${batch}`);
  }
  override onTrainBatchEnd(batch: number, logs: Logs): void {
    this.batchLogs.push({ ...logs });
  }
  override onTestBegin(): void {
    this.events.push('test');
  }
  override onPredictBatchBegin(batch: number): void {
    this.events.push(`predict ${batch}`);
  }
}

/** x[i] = [i] (the sample's id), y zeros. */
const ids = (n: number, from = 0): Tensor => tensor(Array.from({ length: n }, (_, i) => [from + i]));
const zerosY = (n: number): Tensor => tensor(Array.from({ length: n }, () => [0]));
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

/** A recorder before a zero Dense, trained by SGD with learning rate 0 (nothing moves). */
function idModel(): { model: Sequential; rec: Recorder } {
  const rec = new Recorder();
  const model = new Sequential([rec, new Dense(1, { kernelInitializer: 'zeros' })]);
  model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
  return { model, rec };
}

/** Epoch e's training ids, flattened, given the batches per epoch. */
const epochIds = (rec: Recorder, steps: number, e: number): number[] => rec.train().slice(e * steps, (e + 1) * steps).flat();

// A float64 linear model y = w·x + b on one feature, with the data used by the hand computations.
const XS = [[1], [2], [3], [-1], [0.5]];
const YS = [[2], [3.5], [7], [-1], [0]];
const W0 = 0.5;
const B0 = -0.25;

function linearModel(lr: number, extra: { metrics?: string[]; weightedMetrics?: string[] } = {}): Sequential {
  const layer = new Dense(1, { dtype: 'float64', inputShape: [1] });
  const model = new Sequential([layer], { dtype: 'float64' });
  layer.setWeights([f64([[W0]]), f64([B0])]);
  model.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'mse', ...extra });
  return model;
}

/** Per-sample squared errors of the linear model at (w, b). */
const sqErrors = (w: number, b: number, xs = XS, ys = YS): number[] => xs.map(([x], i) => (w * x + b - ys[i][0]) ** 2);

describe('fit: batches', () => {
  it('steps per epoch are ceil(n/batchSize), the partial last batch kept', async () => {
    const { model, rec } = idModel();
    const log = new HookLog();
    await model.fit(ids(50), zerosY(50), { batchSize: 16, epochs: 2, verbose: 0, callbacks: [log] });
    expect(rec.train().map((b) => b.length)).toEqual([16, 16, 16, 2, 16, 16, 16, 2]);
    expect(log.seenParams).toEqual({ verbose: 0, epochs: 2, steps: 4 });
    expect(log.events).toEqual(['epoch 0', 'batch 0', 'batch 1', 'batch 2', 'batch 3', 'end 0', 'epoch 1', 'batch 0', 'batch 1', 'batch 2', 'batch 3', 'end 1']);
  });

  it('batchSize defaults to 32: 50 samples give batches of 32 and 18', async () => {
    const { model, rec } = idModel();
    await model.fit(ids(50), zerosY(50), { verbose: 0 });
    expect(rec.train().map((b) => b.length)).toEqual([32, 18]);
  });

  it('batchSize larger than n: one batch of n', async () => {
    const { model, rec } = idModel();
    await model.fit(ids(5), zerosY(5), { batchSize: 64, verbose: 0 });
    expect(rec.train().map((b) => b.length)).toEqual([5]);
  });
});

describe('fit: shuffling', () => {
  it('shuffle true (the default): a fresh permutation of all samples each epoch', async () => {
    const { model, rec } = idModel();
    await model.fit(ids(50), zerosY(50), { batchSize: 16, epochs: 3, verbose: 0 });
    const epochs = [0, 1, 2].map((e) => epochIds(rec, 4, e));
    for (const e of epochs) expect(sorted(e)).toEqual(range(0, 50));
    expect(epochs[0]).not.toEqual(range(0, 50));
    expect(epochs[1]).not.toEqual(epochs[0]);
    expect(epochs[2]).not.toEqual(epochs[1]);
  });

  it('shuffle false: samples in order 0..n-1 every epoch', async () => {
    const { model, rec } = idModel();
    await model.fit(ids(50), zerosY(50), { batchSize: 16, epochs: 2, shuffle: false, verbose: 0 });
    expect(rec.train()).toEqual([range(0, 16), range(16, 32), range(32, 48), [48, 49], range(0, 16), range(16, 32), range(32, 48), [48, 49]]);
  });

  it("shuffle 'batch': each batch holds the same consecutive chunk, its inside order permuted", async () => {
    const { model, rec } = idModel();
    await model.fit(ids(50), zerosY(50), { batchSize: 16, epochs: 2, shuffle: 'batch', verbose: 0, seed: 1 });
    const batches = rec.train();
    const chunks = [range(0, 16), range(16, 32), range(32, 48), [48, 49]];
    batches.forEach((b, k) => expect(sorted(b)).toEqual(chunks[k % 4]));
    expect(batches.slice(0, 3).some((b, k) => b.join() !== chunks[k].join())).toBe(true);
    expect(batches.slice(0, 3)).not.toEqual(batches.slice(4, 7)); // a new inside order each epoch
  });

  it('the seed option makes the order reproducible; another seed differs', async () => {
    const order = async (seed: number): Promise<number[][]> => {
      const { model, rec } = idModel();
      await model.fit(ids(30), zerosY(30), { batchSize: 8, epochs: 2, verbose: 0, seed });
      return rec.train();
    };
    const a = await order(9);
    expect(await order(9)).toEqual(a);
    expect(await order(10)).not.toEqual(a);
  });

  it('without a seed the order comes from the global stream (setSeed)', async () => {
    const first = idModel();
    const second = idModel();
    setSeed(77);
    await first.model.fit(ids(30), zerosY(30), { batchSize: 8, verbose: 0 });
    setSeed(77);
    await second.model.fit(ids(30), zerosY(30), { batchSize: 8, verbose: 0 });
    expect(second.rec.train()).toEqual(first.rec.train());
  });
});

describe('fit: validation', () => {
  it('validationSplit takes the LAST samples before shuffling; validation is never shuffled', async () => {
    const { model, rec } = idModel();
    const log = new HookLog();
    await model.fit(ids(50), zerosY(50), { batchSize: 16, epochs: 2, validationSplit: 0.2, verbose: 0, callbacks: [log] });
    // split_at = floor(50·0.8) = 40: train [0, 40), validation [40, 50)
    expect(log.seenParams?.steps).toBe(3);
    for (const e of [0, 1]) expect(sorted(epochIds(rec, 3, e))).toEqual(range(0, 40));
    expect(epochIds(rec, 3, 0)).not.toEqual(range(0, 40));
    expect(rec.inference()).toEqual([range(40, 50), range(40, 50)]);
    expect(log.events.filter((e) => e === 'test' || e.startsWith('end'))).toEqual(['test', 'end 0', 'test', 'end 1']);
  });

  it('validationBatchSize batches the validation data (default: batchSize)', async () => {
    const { model, rec } = idModel();
    await model.fit(ids(50), zerosY(50), { batchSize: 16, validationSplit: 0.2, validationBatchSize: 4, verbose: 0 });
    expect(rec.inference()).toEqual([range(40, 44), range(44, 48), [48, 49]]);
  });

  it('split_at = floor(n·(1 - f)): 7 samples at 0.5 leave 3 for training and 4 for validation', async () => {
    const { model, rec } = idModel();
    await model.fit(ids(7), zerosY(7), { validationSplit: 0.5, verbose: 0 });
    expect(sorted(rec.train().flat())).toEqual([0, 1, 2]);
    expect(rec.inference()).toEqual([[3, 4, 5, 6]]);
  });

  it('val_loss is the loss on the last part, as evaluate computes it', async () => {
    const model = linearModel(0);
    const history = await model.fit(f64(XS), f64(YS), { validationSplit: 0.4, batchSize: 2, verbose: 0 });
    // split_at = floor(5·0.6) = 3: validation samples 3 and 4
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    expect(history.history.val_loss[0]).toBeCloseTo(mean(sqErrors(W0, B0).slice(3)), 14);
    expect(history.history.loss[0]).toBeCloseTo(mean(sqErrors(W0, B0).slice(0, 3)), 14);
    expect(history.history.val_loss[0]).toBeCloseTo(model.evaluate(f64(XS.slice(3)), f64(YS.slice(3)), { verbose: 0 }) as number, 14);
  });

  it.each([0.99, 1, 1.5, 1e-17])('validationSplit %d on 50 samples leaves an empty part: an error', async (f) => {
    const { model, rec } = idModel();
    await expect(model.fit(ids(50), zerosY(50), { validationSplit: f, verbose: 0 })).rejects.toThrow(/validationSplit/);
    expect(rec.calls).toEqual([]);
  });

  it('validationData overrides validationSplit', async () => {
    const { model, rec } = idModel();
    const history = await model.fit(ids(20), zerosY(20), {
      batchSize: 8, validationSplit: 0.5, validationData: [ids(5, 100), zerosY(5)], verbose: 0,
    });
    expect(sorted(rec.train().flat())).toEqual(range(0, 20));
    expect(rec.inference()).toEqual([range(100, 105)]);
    expect(history.history.val_loss).toHaveLength(1);
  });

  it('validationFreq 2: val_* only on epochs 2, 4 (1-based); History keeps fewer val entries (Keras appends per key)', async () => {
    const { model, rec } = idModel();
    const log = new HookLog();
    const history = await model.fit(ids(10), zerosY(10), {
      epochs: 4, validationFreq: 2, validationData: [ids(3, 100), zerosY(3)], verbose: 0, callbacks: [log],
    });
    expect(rec.inference()).toHaveLength(2);
    expect(log.epochLogs.map(([e, logs]) => [e, 'val_loss' in logs])).toEqual([[0, false], [1, true], [2, false], [3, true]]);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(history.history.loss).toHaveLength(4);
    expect(history.history.val_loss).toHaveLength(2);
  });

  it('val_* come from an inference-mode evaluation with the end-of-epoch weights (BatchNormalization model)', async () => {
    setSeed(5);
    const rng = new Random(2);
    const data = (n: number): [Tensor, Tensor] => {
      const x = Array.from({ length: n }, () => [rng.normal() * 2 + 1, rng.normal() - 3]);
      return [tensor(x), tensor(x.map(([a, b]) => [a + b > -2 ? 1 : 0]))];
    };
    const [x, y] = data(40);
    const [vx, vy] = data(12);
    const rec = new Recorder();
    const model = new Sequential([rec, new Dense(4, { activation: 'relu' }), new BatchNormalization(), new Dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 2, batchSize: 8, validationData: [vx, vy], verbose: 0 });
    // Per epoch: 5 training batches of 8 in training mode, then the validation batches (8 + 4) in inference mode.
    const epoch = [[8, true], [8, true], [8, true], [8, true], [8, true], [8, false], [4, false]];
    expect(rec.calls.map((c) => [c.ids.length, c.training])).toEqual([...epoch, ...epoch]);
    const [loss, accuracy] = model.evaluate(vx, vy, { verbose: 0 }) as number[];
    expect(history.history.val_loss[1]).toBeCloseTo(loss, 6);
    expect(history.history.val_accuracy[1]).toBeCloseTo(accuracy, 6);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  });
});

describe('fit: epoch numbers', () => {
  it('epoch loss = batch losses weighted by batch size; metrics reset each epoch (SGD by hand)', async () => {
    const lr = 0.1;
    const model = linearModel(lr, { metrics: ['mae'] });
    const log = new HookLog();
    const history = await model.fit(f64(XS), f64(YS), { batchSize: 2, epochs: 3, shuffle: false, verbose: 0, callbacks: [log] });
    // The same three epochs by hand: batches [0, 1], [2, 3], [4]; each batch's loss and mae with the weights before its step.
    let w = W0;
    let b = B0;
    const expected: { loss: number; mae: number; unweighted: number; batchLoss: number[] }[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      let lossSum = 0;
      let absSum = 0;
      const batchLoss: number[] = [];
      for (const batch of [[0, 1], [2, 3], [4]]) {
        const err = batch.map((i) => w * XS[i][0] + b - YS[i][0]);
        const loss = err.reduce((s, e) => s + e * e, 0) / batch.length;
        batchLoss.push(loss);
        lossSum += loss * batch.length;
        absSum += err.reduce((s, e) => s + Math.abs(e), 0);
        const gw = err.reduce((s, e, k) => s + 2 * e * XS[batch[k]][0], 0) / batch.length;
        const gb = err.reduce((s, e) => s + 2 * e, 0) / batch.length;
        w -= lr * gw;
        b -= lr * gb;
      }
      expected.push({ loss: lossSum / 5, mae: absSum / 5, unweighted: batchLoss.reduce((s, v) => s + v, 0) / 3, batchLoss });
    }
    expectClose(history.history.loss, expected.map((e) => e.loss), 1e-13);
    expectClose(history.history.mae, expected.map((e) => e.mae), 1e-13);
    for (const e of expected) expect(Math.abs(e.loss - e.unweighted)).toBeGreaterThan(1e-3); // the case tells them apart
    // Without a reset, epoch 2's mae would be the mean over epochs 1 and 2.
    expect(Math.abs(history.history.mae[1] - (expected[0].mae + expected[1].mae) / 2)).toBeGreaterThan(1e-3);
    // Batch logs carry the epoch's running means: batch 0 alone, then (2·l0 + 2·l1)/4, then the epoch value.
    const e0 = expected[0].batchLoss;
    expectClose(log.batchLogs.slice(0, 3).map((l) => l.loss), [e0[0], (e0[0] + e0[1]) / 2, expected[0].loss], 1e-13);
    expectClose(model.getWeights()[0], [[w]], 1e-14);
    expectClose(model.getWeights()[1], [b], 1e-14);
  });

  it('initialEpoch: epochs run from initialEpoch to epochs - 1', async () => {
    const { model, rec } = idModel();
    const log = new HookLog();
    const history = await model.fit(ids(4), zerosY(4), { epochs: 5, initialEpoch: 2, verbose: 0, callbacks: [log] });
    expect(log.events.filter((e) => e.startsWith('epoch'))).toEqual(['epoch 2', 'epoch 3', 'epoch 4']);
    expect(history.epoch).toEqual([2, 3, 4]);
    expect(history.history.loss).toHaveLength(3);
    expect(rec.train()).toHaveLength(3);
    expect(log.seenParams?.epochs).toBe(5);
  });

  it('initialEpoch ≥ epochs runs nothing', async () => {
    const { model, rec } = idModel();
    const history = await model.fit(ids(4), zerosY(4), { epochs: 2, initialEpoch: 2, verbose: 0 });
    expect(rec.calls).toEqual([]);
    expect(history.epoch).toEqual([]);
  });
});

describe('fit: sample and class weights', () => {
  const SW = [1, 0, 2, 0.5, 3];
  const weighted = (l: number[], w: number[]): number => l.reduce((s, v, i) => s + v * w[i], 0) / l.length; // Σ w·l / N

  it('sampleWeight: loss = Σ(w·l)/N, divided by the COUNT not Σw', async () => {
    const model = linearModel(0);
    const history = await model.fit(f64(XS), f64(YS), { sampleWeight: f64(SW), batchSize: 8, verbose: 0 });
    const l = sqErrors(W0, B0);
    const expected = weighted(l, SW);
    expect(history.history.loss[0]).toBeCloseTo(expected, 14);
    expect(Math.abs(expected - (expected * 5) / 6.5)).toBeGreaterThan(0.1); // Σw = 6.5 ≠ 5
    expect(model.evaluate(f64(XS), f64(YS), { sampleWeight: f64(SW), verbose: 0 }) as number).toBeCloseTo(expected, 14);
    expect(model.testOnBatch(f64(XS), f64(YS), f64(SW)).loss).toBeCloseTo(expected, 14);
    expect(model.trainOnBatch(f64(XS), f64(YS), f64(SW)).loss).toBeCloseTo(expected, 14);
  });

  it('sampleWeight over several batches: still Σ(w·l)/N for the epoch', async () => {
    const model = linearModel(0);
    const history = await model.fit(f64(XS), f64(YS), { sampleWeight: f64(SW), batchSize: 2, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(weighted(sqErrors(W0, B0), SW), 14);
  });

  it('metrics ignore sample weights; weightedMetrics use them (Σ w·v / Σ w)', async () => {
    const model = linearModel(0, { metrics: ['mae'], weightedMetrics: ['mse'] });
    const history = await model.fit(f64(XS), f64(YS), { sampleWeight: f64(SW), batchSize: 2, verbose: 0 });
    const err = XS.map(([x], i) => W0 * x + B0 - YS[i][0]);
    expect(history.history.mae[0]).toBeCloseTo(err.reduce((s, e) => s + Math.abs(e), 0) / 5, 14);
    expect(history.history.mse[0]).toBeCloseTo(err.reduce((s, e, i) => s + SW[i] * e * e, 0) / 6.5, 14);
  });

  it('classWeight on labels 0/1: each sample weighs its class, missing classes 1', async () => {
    const model = linearModel(0);
    const ys = [[0], [1], [1], [0], [1]];
    const history = await model.fit(f64(XS), f64(ys), { classWeight: { 1: 3 }, batchSize: 8, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(weighted(sqErrors(W0, B0, XS, ys), [1, 3, 3, 1, 3]), 14);
  });

  it('classWeight rounds soft labels (0.2 → 0, 0.8 → 1)', async () => {
    const model = linearModel(0);
    const ys = [[0.2], [0.8], [0.9], [0.1], [0.7]];
    const history = await model.fit(f64(XS), f64(ys), { classWeight: { 0: 0.5, 1: 2 }, batchSize: 8, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(weighted(sqErrors(W0, B0, XS, ys), [0.5, 2, 2, 0.5, 2]), 14);
  });

  it('classWeight with one-hot labels uses the argmax', async () => {
    const layer = new Dense(3, { dtype: 'float64', inputShape: [2] });
    const model = new Sequential([layer], { dtype: 'float64' });
    const K = [[0.5, -1, 0.25], [1, 0.5, -0.5]];
    const B = [0.1, 0, -0.1];
    layer.setWeights([f64(K), f64(B)]);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const x = [[1, 2], [-1, 0.5], [0, 1], [2, -1]];
    const y = [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]];
    const history = await model.fit(f64(x), f64(y), { classWeight: { 0: 0.5, 2: 4 }, batchSize: 8, verbose: 0 });
    const perSample = x.map((r, i) => [0, 1, 2].reduce((s, j) => s + (r[0] * K[0][j] + r[1] * K[1][j] + B[j] - y[i][j]) ** 2, 0) / 3);
    expect(history.history.loss[0]).toBeCloseTo(weighted(perSample, [0.5, 4, 1, 4]), 14);
  });

  it('validationSplit splits the sample weights too: val_loss = Σ(w·l)/N over the last samples', async () => {
    const model = linearModel(0);
    const history = await model.fit(f64(XS), f64(YS), { sampleWeight: f64(SW), validationSplit: 0.4, verbose: 0 });
    const l = sqErrors(W0, B0);
    expect(history.history.loss[0]).toBeCloseTo(weighted(l.slice(0, 3), SW.slice(0, 3)), 14);
    expect(history.history.val_loss[0]).toBeCloseTo(weighted(l.slice(3), SW.slice(3)), 14);
  });

  it('validationData [x, y, sampleWeight] weights the validation loss', async () => {
    const model = linearModel(0);
    const history = await model.fit(f64(XS), f64(YS), { validationData: [f64(XS), f64(YS), f64(SW)], verbose: 0 });
    expect(history.history.val_loss[0]).toBeCloseTo(weighted(sqErrors(W0, B0), SW), 14);
  });

  it('classWeight weights the training loss only, not the validation split', async () => {
    const model = linearModel(0);
    const ys = [[0], [1], [0], [1], [0]];
    const history = await model.fit(f64(XS), f64(ys), { classWeight: { 0: 5 }, validationSplit: 0.4, verbose: 0 });
    const l = sqErrors(W0, B0, XS, ys);
    expect(history.history.loss[0]).toBeCloseTo(weighted(l.slice(0, 3), [5, 1, 5]), 14);
    expect(history.history.val_loss[0]).toBeCloseTo((l[3] + l[4]) / 2, 14);
  });

  it('classWeight and sampleWeight together are refused', async () => {
    const model = linearModel(0);
    await expect(model.fit(f64(XS), f64(YS), { classWeight: { 0: 2 }, sampleWeight: f64(SW), verbose: 0 })).rejects.toThrow(/classWeight or sampleWeight, not both/);
  });
});

describe('evaluate, predict and the batch methods', () => {
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  const absErr = XS.map(([x], i) => Math.abs(W0 * x + B0 - YS[i][0]));

  it('evaluate returns the loss alone without metrics', () => {
    const result = linearModel(0).evaluate(f64(XS), f64(YS), { verbose: 0 });
    expect(typeof result).toBe('number');
    expect(result as number).toBeCloseTo(mean(sqErrors(W0, B0)), 14);
  });

  it('evaluate returns [loss, ...metrics] with metrics, in compile order; evaluateDict by name', () => {
    const model = linearModel(0, { metrics: ['mae', 'mse'] });
    const result = model.evaluate(f64(XS), f64(YS), { batchSize: 2, verbose: 0 }) as number[];
    expectClose(result, [mean(sqErrors(W0, B0)), mean(absErr), mean(sqErrors(W0, B0))], 1e-14);
    const dict = model.evaluateDict(f64(XS), f64(YS), { verbose: 0 });
    expect(Object.keys(dict).sort()).toEqual(['loss', 'mae', 'mse']);
    expect(dict.mae).toBeCloseTo(mean(absErr), 14);
    expect(dict.loss).toBeCloseTo(mean(sqErrors(W0, B0)), 14);
  });

  it('predict concatenates its batches and equals predictOnBatch and the hand values', () => {
    const model = linearModel(0);
    const log = new HookLog();
    const x = Array.from({ length: 7 }, (_, i) => [i - 3]);
    const y = model.predict(f64(x), { batchSize: 3, verbose: 0, callbacks: [log] });
    expect(y.shape).toEqual([7, 1]);
    expect(log.events).toEqual(['predict 0', 'predict 1', 'predict 2']);
    expect(y.toArray()).toEqual(model.predictOnBatch(f64(x)).toArray());
    expectClose(y, x.map(([v]) => [W0 * v + B0]), 1e-15);
  });

  it('trainOnBatch returns the pre-update logs and takes one SGD step; testOnBatch changes nothing', () => {
    const lr = 0.05;
    const model = linearModel(lr, { metrics: ['mae'] });
    const err = XS.map(([x], i) => W0 * x + B0 - YS[i][0]);
    const test = model.testOnBatch(f64(XS), f64(YS));
    expect(Object.keys(test).sort()).toEqual(['loss', 'mae']);
    expect(test.loss).toBeCloseTo(mean(err.map((e) => e * e)), 14);
    expectClose(model.getWeights()[0], [[W0]], 0);
    const logs = model.trainOnBatch(f64(XS), f64(YS));
    expect(logs.loss).toBeCloseTo(mean(err.map((e) => e * e)), 14);
    expect(logs.mae).toBeCloseTo(mean(err.map(Math.abs)), 14);
    const gw = mean(err.map((e, i) => 2 * e * XS[i][0]));
    const gb = mean(err.map((e) => 2 * e));
    expectClose(model.getWeights()[0], [[W0 - lr * gw]], 1e-15);
    expectClose(model.getWeights()[1], [B0 - lr * gb], 1e-15);
  });
});

describe('fit: stopping and data checks', () => {
  it('stopTraining set in a batch hook ends the epoch after that batch; validation and onEpochEnd still run, then fit ends', async () => {
    const { model, rec } = idModel();
    class StopAtBatch1 extends HookLog {
      override onTrainBatchEnd(batch: number, logs: Logs): void {
        super.onTrainBatchEnd(batch, logs);
        if (batch === 1) this.model!.stopTraining = true;
      }
    }
    const log = new StopAtBatch1();
    const history = await model.fit(ids(40), zerosY(40), { batchSize: 8, epochs: 3, validationSplit: 0.25, verbose: 0, callbacks: [log] });
    expect(rec.train()).toHaveLength(2);
    expect(log.events).toEqual(['epoch 0', 'batch 0', 'batch 1', 'test', 'end 0']);
    expect(history.history.val_loss).toHaveLength(1);
    // the next fit starts afresh
    await model.fit(ids(8), zerosY(8), { batchSize: 8, epochs: 2, verbose: 0 });
    expect(rec.train()).toHaveLength(4);
  });

  it('arrays with different numbers of samples are refused, naming their shapes', async () => {
    const { model } = idModel();
    await expect(model.fit(ids(5), zerosY(4), { verbose: 0 })).rejects.toThrow(/different numbers of samples.*\[5, 1\].*\[4, 1\]/);
    await expect(model.fit(ids(5), zerosY(5), { sampleWeight: [1, 2], verbose: 0 })).rejects.toThrow(/different numbers of samples/);
  });

  it('trainOnBatch and testOnBatch report this batch alone (metrics reset first)', () => {
    const model = linearModel(0, { metrics: ['mae'] });
    const err = XS.map(([x], i) => Math.abs(W0 * x + B0 - YS[i][0]));
    model.testOnBatch(f64(XS.slice(0, 2)), f64(YS.slice(0, 2)));
    expect(model.testOnBatch(f64(XS.slice(2)), f64(YS.slice(2))).mae).toBeCloseTo((err[2] + err[3] + err[4]) / 3, 14);
    model.trainOnBatch(f64(XS.slice(0, 2)), f64(YS.slice(0, 2)));
    expect(model.trainOnBatch(f64(XS.slice(2)), f64(YS.slice(2))).mae).toBeCloseTo((err[2] + err[3] + err[4]) / 3, 14);
  });
});

describe('inputs and output', () => {
  it('nested arrays are converted to float32; float64 tensors into a float32 model are cast', async () => {
    const { model, rec } = idModel();
    await model.fit([[0], [1], [2]], [[0], [0], [0]], { verbose: 0 });
    model.evaluate(f64([[3], [4]]), f64([[0], [0]]), { verbose: 0 });
    const y = model.predict(f64([[5], [6]]), { verbose: 0 });
    expect(rec.calls.map((c) => c.dtype)).toEqual(['float32', 'float32', 'float32']);
    expect(y.dtype).toBe('float32');
    expect(model.predict([[1], [2]], { verbose: 0 }).dtype).toBe('float32');
    expect(model.weights.every((w) => w.dtype === 'float32')).toBe(true);
  });

  it('verbose 0 prints nothing in fit, evaluate and predict; verbose 1 does print', async () => {
    const { model } = idModel();
    const log = vi.spyOn(console, 'log');
    const out = captureStdout();
    try {
      await model.fit(ids(10), zerosY(10), { epochs: 2, validationSplit: 0.2, verbose: 0 });
      model.evaluate(ids(4), zerosY(4), { verbose: 0 });
      model.predict(ids(4), { verbose: 0 });
      expect(out.text()).toBe('');
      expect(log).not.toHaveBeenCalled();
      await model.fit(ids(10), zerosY(10), { epochs: 2, verbose: 1 });
      expect(out.text()).toContain('Epoch 1/2');
    } finally {
      out.restore();
      log.mockRestore();
    }
  });
});

describe('fit: Keras details found in review', () => {
  it('validationFreq counts absolute epochs, also when resuming from initialEpoch (Keras: (epoch + 1) % freq == 0)', async () => {
    const model = new Sequential([new Dense(1, { inputShape: [1] })]);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const seen: number[] = [];
    class Recorder extends Callback {
      override onEpochEnd(epoch: number, logs: Logs): void {
        if ('val_loss' in logs) seen.push(epoch);
      }
    }
    const x = tensor([[1], [2], [3], [4]]);
    await model.fit(x, x, { epochs: 5, initialEpoch: 1, validationFreq: 2, validationData: [x, x], verbose: 0, callbacks: [new Recorder()] });
    expect(seen).toEqual([1, 3]);
  });

  it('classWeight rounds soft labels halves to even, as np.round', async () => {
    const model = new Sequential([new Dense(1, { inputShape: [1], kernelInitializer: 'zeros' })]);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const y = tensor([[0.5], [1.5], [2.5]]);
    const x = tensor([[0], [0], [0]]);
    // predictions are 0, so per-sample losses are y²; weights 10, 1000, 1000 (labels 0, 2, 2)
    const weighted = (0.25 * 10 + 2.25 * 1000 + 6.25 * 1000) / 3;
    const h = await model.fit(x, y, { classWeight: { 0: 10, 1: 100, 2: 1000, 3: 10000 }, batchSize: 3, verbose: 0, shuffle: false });
    expect(h.loss[0]).toBeCloseTo(weighted, 3);
  });
});
