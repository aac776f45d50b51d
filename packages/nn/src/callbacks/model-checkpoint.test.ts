// ModelCheckpoint: file path formatting (Python str.format), save-best logic and batch frequency, with a fake save.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelCheckpoint, formatPath } from './model-checkpoint.js';
import { FakeModel, SavingModel, captureStdout, runEpochs } from './test-utils.js';

afterEach(() => vi.restoreAllMocks());

describe('formatPath', () => {
  it('formats epoch and log keys as Python str.format', () => {
    const logs = { loss: 0.25, val_loss: 0.12345, x: 0.5, neg: -1.5 };
    expect(formatPath('ckpt/{epoch:02d}-{val_loss:.2f}', { epoch: 3 }, logs)).toBe('ckpt/03-0.12');
    expect(formatPath('{epoch}|{loss}|{epoch:3d}|{epoch:+05d}', { epoch: 3 }, logs)).toBe('3|0.25|  3|+0003');
    expect(formatPath('{loss:.1e}|{x:.1%}|{neg:06.2f}|{{lit}}', { epoch: 3 }, logs)).toBe('2.5e-01|50.0%|-01.50|{lit}');
    expect(formatPath('{epoch:.2f}', { epoch: 3 }, {})).toBe('3.00');
    expect(formatPath('{val_loss:.4f}', {}, { val_loss: 0.03125 })).toBe('0.0312'); // ties to even, as Python
  });

  it('names a missing key and the available ones, and refuses d for floats', () => {
    expect(() => formatPath('m-{val_acc:.2f}', { epoch: 1 }, { loss: 1 })).toThrow(
      `ModelCheckpoint: failed to format the filepath "m-{val_acc:.2f}": no key 'val_acc'; available: loss, epoch`,
    );
    expect(() => formatPath('{loss:02d}', {}, { loss: 0.5 })).toThrow("{loss:02d} uses 'd' but loss is a float (0.5)");
    expect(() => formatPath('{loss:.2}', {}, { loss: 0.5 })).toThrow('gives a precision without a type');
    expect(() => formatPath('{loss:x}', {}, { loss: 0.5 })).toThrow('is not a supported format spec');
  });
});

describe('ModelCheckpoint', () => {
  it('saves the model at each epoch end to the formatted path', async () => {
    const model = new SavingModel();
    await runEpochs(new ModelCheckpoint({ filepath: 'ckpt/{epoch:02d}-{loss:.1f}' }), model, [{ loss: 0.5 }, { loss: 0.25 }]);
    expect(model.saved).toEqual(['save:ckpt/01-0.5', 'save:ckpt/02-0.2']); // 0.25 -> 0.2, ties to even
  });

  it("takes the path first, as Keras's ModelCheckpoint(filepath, ...)", async () => {
    const model = new SavingModel();
    const cb = new ModelCheckpoint('ckpt/{epoch:02d}', { saveWeightsOnly: true });
    expect(cb.filepath).toBe('ckpt/{epoch:02d}');
    await runEpochs(cb, model, [{ loss: 0.5 }]);
    expect(model.saved).toEqual(['saveWeights:ckpt/01']);
  });

  it('saveBestOnly saves only improvements, with Keras messages at verbose 1', async () => {
    const model = new SavingModel();
    const out = captureStdout();
    await runEpochs(new ModelCheckpoint({ filepath: 'best', saveBestOnly: true, verbose: 1 }), model, [0.5, 0.6, 0.4].map((val_loss) => ({ val_loss })));
    out.restore();
    expect(model.saved).toEqual(['save:best', 'save:best']);
    expect(out.text()).toBe(
      '\nEpoch 1: val_loss improved from None to 0.50000, saving model to best\n' +
        '\nEpoch 2: val_loss did not improve from 0.50000\n' +
        '\nEpoch 3: val_loss improved from 0.50000 to 0.40000, saving model to best\n',
    );
  });

  it('initialValueThreshold is the value to beat; accuracy is maximized', async () => {
    const model = new SavingModel();
    const seq = [0.5, 0.4, 0.45].map((val_loss) => ({ val_loss }));
    await runEpochs(new ModelCheckpoint({ filepath: 'e{epoch}', saveBestOnly: true, initialValueThreshold: 0.45 }), model, seq);
    expect(model.saved).toEqual(['save:e2']);
    const acc = new SavingModel();
    await runEpochs(new ModelCheckpoint({ filepath: 'e{epoch}', monitor: 'val_accuracy', saveBestOnly: true }), acc, [0.5, 0.4, 0.6].map((val_accuracy) => ({ val_accuracy })));
    expect(acc.saved).toEqual(['save:e1', 'save:e3']);
  });

  it('saveWeightsOnly calls saveWeights; verbose prints each save', async () => {
    const model = new SavingModel();
    const out = captureStdout();
    await runEpochs(new ModelCheckpoint({ filepath: 'w-{epoch}', saveWeightsOnly: true, verbose: 1 }), model, [{ loss: 1 }]);
    out.restore();
    expect(model.saved).toEqual(['saveWeights:w-1']);
    expect(out.text()).toBe('\nEpoch 1: saving model to w-1\n');
  });

  it('saveFreq n saves every n batches, counted across epochs, with the 1-based batch in the path', async () => {
    const model = new SavingModel();
    const cb = new ModelCheckpoint({ filepath: '{epoch}-{batch}', saveFreq: 3 });
    cb.setModel(model.asModel());
    for (let epoch = 0; epoch < 2; epoch++) {
      cb.onEpochBegin(epoch);
      for (let b = 0; b < 4; b++) await cb.onTrainBatchEnd(b, { loss: 1 });
      await cb.onEpochEnd(epoch, { loss: 1 });
    }
    expect(model.saved).toEqual(['save:1-3', 'save:2-2']);
  });

  it('a missing monitor key with saveBestOnly warns once and saves', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = new SavingModel();
    await runEpochs(new ModelCheckpoint({ filepath: 'c', saveBestOnly: true }), model, [{ loss: 1 }, { loss: 2 }]);
    expect(model.saved).toEqual(['save:c', 'save:c']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('Can save best model only with val_loss available.');
  });

  it('says so when the model cannot save', async () => {
    await expect(runEpochs(new ModelCheckpoint({ filepath: 'c' }), new FakeModel(), [{ loss: 1 }])).rejects.toThrow(
      'ModelCheckpoint: the model has no save(dir) method to save with',
    );
  });

  it('checks its options', () => {
    expect(() => new ModelCheckpoint({ filepath: 'c', saveFreq: 0 })).toThrow("ModelCheckpoint: unrecognized saveFreq: 0; expected 'epoch' or a positive integer");
    expect(() => new ModelCheckpoint({ filepath: 'c', saveFreq: 'batch' as 'epoch' })).toThrow('unrecognized saveFreq: batch');
    expect(() => new ModelCheckpoint({ filepath: 'c', save_best_only: true } as unknown as { filepath: string })).toThrow(
      "ModelCheckpoint: unknown option 'save_best_only' (did you mean 'saveBestOnly'?)",
    );
    expect(() => new ModelCheckpoint(undefined as unknown as { filepath: string })).toThrow('filepath is required');
  });
});
