// TerminateOnNaN: graceful stop with Keras's message, or an Error naming the epoch and batch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallbackList } from './callback.js';
import { TerminateOnNaN } from './terminate-on-nan.js';
import { FakeModel, captureStdout } from './test-utils.js';

afterEach(() => vi.restoreAllMocks());

describe('TerminateOnNaN', () => {
  it('prints "Batch b: Invalid loss, terminating training" and stops on NaN or Infinity', () => {
    for (const loss of [NaN, Infinity, -Infinity]) {
      const model = new FakeModel();
      const cb = new TerminateOnNaN();
      cb.setModel(model.asModel());
      const out = captureStdout();
      cb.onTrainBatchEnd(0, { loss: 0.5 });
      expect(model.stopTraining).toBe(false);
      cb.onTrainBatchEnd(3, { loss });
      out.restore();
      expect(model.stopTraining).toBe(true);
      expect(out.text()).toBe('Batch 3: Invalid loss, terminating training\n');
    }
  });

  it('ignores logs without a loss', () => {
    const model = new FakeModel();
    const cb = new TerminateOnNaN();
    cb.setModel(model.asModel());
    cb.onTrainBatchEnd(0, { accuracy: NaN });
    expect(model.stopTraining).toBe(false);
  });

  it('raiseError: throws an Error naming the epoch and batch, which the callback list passes on', async () => {
    const model = new FakeModel();
    const list = new CallbackList([new TerminateOnNaN({ raiseError: true })]);
    list.configure(model.asModel(), { verbose: 0, epochs: 10, steps: 16 });
    await list.callAt('onEpochBegin', 2, {});
    await list.callAt('onTrainBatchEnd', 6, { loss: 0.4 });
    await expect(list.callAt('onTrainBatchEnd', 7, { loss: NaN })).rejects.toThrow(
      'TerminateOnNaN: NaN or Inf loss encountered in epoch 3/10 at batch 7. Loss value: nan. Terminating training immediately.',
    );
    await expect(list.callAt('onTrainBatchEnd', 8, { loss: -Infinity })).rejects.toThrow('Loss value: -inf.');
    expect(model.stopTraining).toBe(false);
  });

  it("refuses 'raise_error', suggesting raiseError", () => {
    expect(() => new TerminateOnNaN({ raise_error: true } as unknown as { raiseError: boolean })).toThrow(
      "TerminateOnNaN: unknown option 'raise_error' (did you mean 'raiseError'?)",
    );
  });
});
