// Tests of saving and loading models: exact round trips, custom layers, optimizer state, and refused damaged files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { type Tensor, randomUniform, tensor } from '@tapegrad/tensor';
import { type Variable, mul } from '@tapegrad/autograd';
import { Layer, type LayerConfig, type LayerOptions, type SymbolicShape } from '../layer.js';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Dense } from '../layers/dense.js';
import { BinaryCrossentropy, MeanSquaredError } from '../losses/index.js';
import { BinaryAccuracy } from '../metrics/index.js';
import type { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { SGD } from '../optimizers/sgd.js';
import { crc32, loadModel, loadWeights, saveModel, saveWeights } from './model-io.js';
import { deserializeLayer, registerLayer, registeredLayerNames } from './registry.js';

const made: string[] = [];
const tmp = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-'));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** The seed model of KERAS_SEMANTICS.md section 12. */
function seedModel(): Sequential {
  return new Sequential([
    new Dense(50, { inputShape: [2], activation: 'relu', kernelInitializer: 'he_uniform' }),
    new BatchNormalization(),
    new Dense(1, { activation: 'sigmoid' }),
  ]);
}

/** Random non-default values for every weight, including BN's moving statistics (variance kept positive). */
function randomize(model: Model, seed: number): void {
  model.setWeights(model.weights.map((w, i) => randomUniform(w.shape, { minval: w.name.endsWith('variance') ? 0.5 : -1, maxval: 2, seed: seed + i })));
}

const x = randomUniform([64, 2], { minval: -1.2, maxval: 1.2, seed: 7 });
const y = tensor(Float32Array.from(x.toArray() as number[][], ([a, b]) => (a * a + b * b < 0.5 ? 1 : 0)), [64, 1]);

/** One optimizer step with fixed pseudo-gradients (seeded by `step`), as a training step would apply. */
function step(model: Model, seed: number): void {
  model.optimizer.applyGradients(model.trainableWeights.map((w, i) => [randomUniform(w.shape, { minval: -1, maxval: 1, seed: seed * 100 + i }), w] as const));
}

/** A "trained" seed model: random weights and moving statistics, then three Adam steps, so slots and iterations move. */
function trainedSeedModel(): Sequential {
  const model = seedModel();
  randomize(model, 100);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  for (let k = 0; k < 3; k++) step(model, k);
  return model;
}

const bits = (t: Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.toTypedArray()).buffer));
const values = (m: Model): number[][] => m.getWeights().map((w) => Array.from(w.toTypedArray()));

/** A user's layer without fromConfig: rebuilt with `new Scale(config)`. y = x * w * factor. */
class Scale extends Layer {
  static readonly className: string = 'Scale';
  readonly factor: number;
  private w!: Variable;
  constructor(options: LayerOptions & { factor?: number } = {}) {
    super(options);
    this.factor = options.factor ?? 1;
  }
  override build(inputShape: SymbolicShape): void {
    this.w = this.addWeight('w', [inputShape.at(-1) as number], { initializer: 'ones' });
  }
  override call(input: Tensor): Tensor {
    return mul(mul(input, this.w), this.factor);
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor };
  }
}

afterEach(() => vi.restoreAllMocks());

describe('crc32', () => {
  it('gives the standard check value of "123456789" and of the empty input', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('saveModel / loadModel', () => {
  it('reproduces predictions bitwise, the weights, the config and the compile settings of the seed model', async () => {
    const model = trainedSeedModel();
    const bn = model.getLayer(1) as BatchNormalization;
    expect(Array.from(bn.movingMean.toTypedArray()).some((v) => v !== 0)).toBe(true);
    const dir = tmp();
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(loaded).toBeInstanceOf(Sequential);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
    expect(values(loaded)).toEqual(values(model));
    expect(loaded.getWeights().map((w) => w.shape)).toEqual([[2, 50], [50], [50], [50], [50], [50], [50, 1], [1]]);
    expect(loaded.getConfig()).toEqual(model.getConfig());
    expect(loaded.compileOptions).toMatchObject({ loss: 'binary_crossentropy', metrics: ['accuracy'] });
    expect(loaded.optimizer.getConfig()).toEqual(model.optimizer.getConfig());
    expect(loaded.optimizer.iterations).toBe(0); // no optimizer state without includeOptimizer
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'tapegrad-model', version: 1, className: 'Sequential', weightsFile: 'weights.bin', weightsBytes: 401 * 4, optimizer: null });
    expect(manifest.weights.map((w: { name: string }) => w.name.split('/')[1])).toEqual(
      ['kernel', 'bias', 'gamma', 'beta', 'moving_mean', 'moving_variance', 'kernel', 'bias'],
    );
  });

  it('after fit, restores a model that predicts bitwise the same and trains on identically', async () => {
    const model = seedModel();
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, seed: 1 });
    const dir = tmp();
    await model.save(dir, { includeOptimizer: true });
    const loaded = await loadModel(dir);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
    expect(loaded.optimizer.iterations).toBe(8);
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, seed: 2 });
    await loaded.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, seed: 2 });
    expect(values(loaded)).toEqual(values(model));
  });

  it('stores weights.bin as little-endian float32 in Keras order', async () => {
    const model = seedModel();
    randomize(model, 3);
    const dir = tmp();
    await saveModel(model, dir);
    const raw = fs.readFileSync(path.join(dir, 'weights.bin'));
    const kernel = model.weights[0].toTypedArray();
    for (let i = 0; i < kernel.length; i++) expect(raw.readFloatLE(4 * i)).toBe(kernel[i]);
    expect(raw.readFloatLE(raw.length - 4)).toBe(model.weights[7].toTypedArray()[0]);
  });

  it('round-trips the optimizer iterations and slots with includeOptimizer, and training resumes identically', async () => {
    const model = trainedSeedModel();
    const dir = tmp();
    await model.save(dir, { includeOptimizer: true });
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'optimizer.bin', 'weights.bin']);
    const loaded = await loadModel(dir);
    const before = model.optimizer.getState(model.trainableWeights);
    const after = loaded.optimizer.getState(loaded.trainableWeights);
    expect(after.iterations).toBe(3);
    expect(after.slots.map((s) => Object.keys(s).sort())).toEqual(before.slots.map((s) => Object.keys(s).sort()));
    after.slots.forEach((s, i) => {
      for (const name of Object.keys(s)) expect(Array.from(s[name])).toEqual(Array.from(before.slots[i][name]));
    });
    step(model, 5);
    step(loaded, 5);
    expect(values(loaded)).toEqual(values(model));
  });

  it('removes a stale optimizer.bin when saving again without includeOptimizer', async () => {
    const model = trainedSeedModel();
    const dir = tmp();
    await model.save(dir, { includeOptimizer: true });
    await model.save(dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('leaves no temporary files, and saving over an existing save replaces it', async () => {
    const model = trainedSeedModel();
    const dir = tmp();
    await model.save(dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    step(model, 6);
    await model.save(dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadModel(dir);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
  });

  it('saves loss, metric and optimizer objects by their config', async () => {
    const model = seedModel();
    model.compile({ optimizer: new SGD({ learningRate: 0.01, momentum: 0.9 }), loss: new BinaryCrossentropy({ labelSmoothing: 0.1 }), metrics: [new BinaryAccuracy({ threshold: 0.3 })] });
    const dir = tmp();
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect(loaded.optimizer).toBeInstanceOf(SGD);
    expect(loaded.optimizer.getConfig()).toEqual(model.optimizer.getConfig());
    expect(loaded.loss).toBeInstanceOf(BinaryCrossentropy);
    expect(loaded.loss.getConfig()).toEqual(model.loss.getConfig());
    expect(loaded.metrics[0]).toBeInstanceOf(BinaryAccuracy);
    expect(loaded.metrics[0].getConfig()).toEqual({ name: 'binary_accuracy', threshold: 0.3 });
  });

  it('saves compile as null with a warning when the loss is a function; the loaded model is uncompiled', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = seedModel();
    model.compile({ optimizer: 'adam', loss: function myLoss(t: Tensor, p: Tensor) { return mul(t, p); } });
    const dir = tmp();
    await model.save(dir);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/cannot save loss \(function myLoss\).*uncompiled/));
    const loaded = await loadModel(dir);
    expect(loaded.isCompiled).toBe(false);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
  });

  it('builds a model whose first layer had no inputShape from the saved build config', async () => {
    const model = new Sequential([new Dense(3, { activation: 'tanh' }), new Dense(1)]);
    model.predict(x); // builds for [null, 2]
    randomize(model, 9);
    const dir = tmp();
    await model.save(dir, { includeOptimizer: true }); // not compiled: no optimizer to save
    const loaded = await loadModel(dir);
    expect(loaded.getBuildConfig()).toEqual({ inputShape: [null, 2] });
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
    expect(loaded.isCompiled).toBe(false);
  });

  it('loads with compile: false, ignoring the compile settings', async () => {
    const dir = tmp();
    await trainedSeedModel().save(dir, { includeOptimizer: true });
    expect((await loadModel(dir, { compile: false })).isCompiled).toBe(false);
  });
});

describe('custom layers', () => {
  it('fail to load with a clear message until given in customObjects or registered, then round-trip', async () => {
    const model = new Sequential([new Dense(4, { inputShape: [2] }), new Scale({ factor: 3, name: 'scale' }), new Dense(1)]);
    randomize(model, 20);
    const dir = tmp();
    await model.save(dir);
    await expect(loadModel(dir)).rejects.toThrow(/Unknown layer class 'Scale'.*registerLayer\(Scale\).*customObjects: \{ Scale \}.*Dense/);
    const viaObjects = await loadModel(dir, { customObjects: { Scale } });
    expect(bits(viaObjects.predict(x))).toEqual(bits(model.predict(x)));
    registerLayer(Scale);
    registerLayer(Scale); // again: no-op
    expect(registeredLayerNames()).toContain('Scale');
    const loaded = await loadModel(dir);
    expect((loaded as Sequential).getLayer(1)).toBeInstanceOf(Scale);
    expect(((loaded as Sequential).getLayer(1) as Scale).factor).toBe(3);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
    expect(loaded.getConfig()).toEqual(model.getConfig());
  });

  it('registerLayer refuses a taken name, a non-layer, and deserializeLayer an unknown class', () => {
    class Other extends Scale {
      static override readonly className = 'Scale';
    }
    class Imposter extends Scale {
      static override readonly className = 'Dense';
    }
    registerLayer(Scale);
    expect(() => registerLayer(Other)).toThrow(/'Scale' is already taken by another registered class/);
    expect(() => registerLayer(Imposter)).toThrow(/'Dense' is already taken by a built-in layer/);
    expect(() => registerLayer(Date as never)).toThrow(/expected a subclass of Layer/);
    expect(() => deserializeLayer({ className: 'Nope', config: {} })).toThrow(/Unknown layer class 'Nope'.*registerLayer\(Nope\)/);
    expect(deserializeLayer({ className: 'Dense', config: { units: 2, name: 'd' } })).toBeInstanceOf(Dense);
  });
});

describe('custom compile objects and nesting', () => {
  class MyLoss extends MeanSquaredError {}

  it('rebuild a custom loss class from customObjects, and name it when it is missing', async () => {
    const model = seedModel();
    model.compile({ optimizer: 'sgd', loss: new MyLoss({ name: 'mine' }) });
    const dir = tmp();
    await model.save(dir);
    await expect(loadModel(dir)).rejects.toThrow(/cannot rebuild the loss 'MyLoss'.*customObjects: \{ MyLoss \}/);
    const loaded = await loadModel(dir, { customObjects: { MyLoss } });
    expect(loaded.loss).toBeInstanceOf(MyLoss);
    expect(loaded.loss.name).toBe('mine');
  });

  it('round-trips a Sequential nested in a Sequential', async () => {
    const inner = new Sequential([new Dense(3, { activation: 'relu', name: 'inner_dense' })], { name: 'inner' });
    const model = new Sequential([new Dense(4, { inputShape: [2] }), inner, new Dense(1)]);
    randomize(model, 40);
    const dir = tmp();
    await model.save(dir);
    const loaded = await loadModel(dir);
    expect((loaded as Sequential).getLayer(1)).toBeInstanceOf(Sequential);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
  });
});

describe('damaged or mismatched files', () => {
  async function savedDir(): Promise<string> {
    const dir = tmp();
    await trainedSeedModel().save(dir, { includeOptimizer: true });
    return dir;
  }

  it('refuses a truncated weights.bin, naming the file and both sizes', async () => {
    const dir = await savedDir();
    const file = path.join(dir, 'weights.bin');
    fs.truncateSync(file, 1000);
    await expect(loadModel(dir)).rejects.toThrow(/weights\.bin has 1000 bytes but model\.json expects 1604: the file is truncated/);
  });

  it('refuses a truncated optimizer.bin', async () => {
    const dir = await savedDir();
    fs.truncateSync(path.join(dir, 'optimizer.bin'), 10);
    await expect(loadModel(dir)).rejects.toThrow(/optimizer\.bin has 10 bytes .*truncated/);
    expect((await loadModel(dir, { compile: false })).isCompiled).toBe(false); // the optimizer file is not needed then
  });

  it('refuses a corrupted byte by its checksum', async () => {
    const dir = await savedDir();
    const file = path.join(dir, 'weights.bin');
    const bytes = fs.readFileSync(file);
    bytes[123] ^= 0x10;
    fs.writeFileSync(file, bytes);
    await expect(loadModel(dir)).rejects.toThrow(/weights\.bin is corrupt: its CRC-32 is 0x[0-9a-f]{8} but model\.json records/);
  });

  it('refuses model.json that is not JSON, of another format or version, or pointing outside the directory', async () => {
    const dir = await savedDir();
    const file = path.join(dir, 'model.json');
    const good = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, '{ "format": "tapegrad-model", ');
    await expect(loadModel(dir)).rejects.toThrow(/model\.json is not valid JSON/);
    fs.writeFileSync(file, JSON.stringify({ ...good, format: 'keras' }));
    await expect(loadModel(dir)).rejects.toThrow(/not a tapegrad model file/);
    fs.writeFileSync(file, JSON.stringify({ ...good, version: 2 }));
    await expect(loadModel(dir)).rejects.toThrow(/format version 2; this tapegrad reads version 1/);
    fs.writeFileSync(file, JSON.stringify({ ...good, weightsFile: '../weights.bin' }));
    await expect(loadModel(dir)).rejects.toThrow(/weightsFile must be a file name inside the directory/);
    const shifted = good.weights.map((w: { offset: number }, i: number) => (i === 2 ? { ...w, offset: w.offset + 4 } : w));
    fs.writeFileSync(file, JSON.stringify({ ...good, weights: shifted }));
    await expect(loadModel(dir)).rejects.toThrow(/weights entry 2 .*is malformed/);
    await expect(loadModel(path.join(dir, 'missing'))).rejects.toThrow(/cannot read .*model\.json/);
  });

  it('refuses a saved architecture whose weights do not fit its config', async () => {
    const dir = await savedDir();
    const file = path.join(dir, 'model.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    manifest.config.layers[0].config.units = 40;
    fs.writeFileSync(file, JSON.stringify(manifest));
    await expect(loadModel(dir)).rejects.toThrow(/weight 0 '.*kernel' has shape \[2, 40\] in the model but \[2, 50\] in the file/);
  });
});

describe('saveWeights / loadWeights', () => {
  it('round-trips into a fresh model of the same architecture, atomically', async () => {
    const model = trainedSeedModel();
    const dir = tmp();
    const file = path.join(dir, 'ckpt', 'best.weights.bin');
    await model.saveWeights(file);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['best.weights.bin']);
    const fresh = seedModel();
    await fresh.loadWeights(file);
    expect(bits(fresh.predict(x))).toEqual(bits(model.predict(x)));
    const other = seedModel();
    await loadWeights(other, file); // the function behind the method
    expect(values(other)).toEqual(values(model));
  });

  it('loads the weights of a save directory', async () => {
    const model = trainedSeedModel();
    const dir = tmp();
    await saveModel(model, dir);
    const fresh = seedModel();
    await fresh.loadWeights(dir);
    expect(values(fresh)).toEqual(values(model));
  });

  it('refuses a different architecture, naming the first mismatching weight, and leaves the model unchanged', async () => {
    const file = path.join(tmp(), 'w.bin');
    await saveWeights(trainedSeedModel(), file);
    const other = new Sequential([new Dense(50, { inputShape: [2], name: 'first' }), new Dense(1, { name: 'second' })]);
    const before = values(other);
    await expect(other.loadWeights(file)).rejects.toThrow(/weight 2 'second\/kernel' has shape \[50, 1\] in the model but \[50\] in the file \(saved as '.*gamma'\)/);
    expect(values(other)).toEqual(before);
    const shorter = new Sequential([new Dense(50, { inputShape: [2] }), new BatchNormalization()]);
    await expect(shorter.loadWeights(file)).rejects.toThrow(/the file has 8 weights but the model only 6; the first extra one is '.*kernel' \[50, 1\]/);
  });

  it('refuses a truncated or corrupted file and leaves the model unchanged', async () => {
    const file = path.join(tmp(), 'w.bin');
    await saveWeights(trainedSeedModel(), file);
    const full = fs.readFileSync(file);
    const model = seedModel();
    const before = values(model);
    fs.writeFileSync(file, full.subarray(0, full.length - 7));
    await expect(model.loadWeights(file)).rejects.toThrow(new RegExp(`the file has ${full.length - 7} bytes but its header expects ${full.length}: it is truncated`));
    fs.writeFileSync(file, full.subarray(0, 20));
    await expect(model.loadWeights(file)).rejects.toThrow(/truncated/);
    const flipped = Buffer.from(full);
    flipped[flipped.length - 3] ^= 1;
    fs.writeFileSync(file, flipped);
    await expect(model.loadWeights(file)).rejects.toThrow(/the file is corrupt: its CRC-32/);
    fs.writeFileSync(file, 'hello');
    await expect(model.loadWeights(file)).rejects.toThrow(/not a tapegrad weights file/);
    await expect(model.loadWeights(file + '.missing')).rejects.toThrow(/cannot read it \(ENOENT\)/);
    expect(values(model)).toEqual(before);
  });
});
