// LearningRateScheduler: the rate set at each epoch begin, logged at its end, and the schedule's result checked.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallbackList } from './callback.js';
import { History } from './history.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';
import { FakeModel, captureStdout, runEpochs } from './test-utils.js';

afterEach(() => vi.restoreAllMocks());

describe('LearningRateScheduler', () => {
  it('sets schedule(epoch, lr) before each epoch and logs learning_rate', async () => {
    const model = new FakeModel();
    model.optimizer.learningRate = 0.1;
    const history = new History();
    const list = new CallbackList([new LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.5)), history]);
    list.configure(model.asModel(), { verbose: 0, epochs: 4, steps: 1 });
    for (let epoch = 0; epoch < 4; epoch++) {
      await list.callAt('onEpochBegin', epoch, {});
      await list.callAt('onEpochEnd', epoch, { loss: 1 });
    }
    // the schedule sees and the log records float32 values: float32(0.1) = 0.10000000149011612, halved exactly
    expect(history.get('learning_rate')).toEqual([0.10000000149011612, 0.10000000149011612, 0.05000000074505806, 0.02500000037252903]);
  });

  it('accepts a schedule of the epoch alone', async () => {
    const model = new FakeModel();
    await runEpochs(new LearningRateScheduler((epoch) => 1 / (epoch + 1)), model, [{}, {}, {}, {}]);
    expect(model.optimizer.learningRate).toBe(0.25);
  });

  it('refuses a schedule result that is not a finite number', async () => {
    for (const bad of [NaN, Infinity, '0.1', undefined]) {
      const scheduler = new LearningRateScheduler(() => bad as unknown as number);
      await expect(runEpochs(scheduler, new FakeModel(), [{}])).rejects.toThrow(
        `LearningRateScheduler: the schedule must return a finite number; got ${String(bad)} at epoch 0`,
      );
    }
  });

  it('prints the new rate at verbose 1', async () => {
    const out = captureStdout();
    await runEpochs(new LearningRateScheduler(() => 1e-5, 1), new FakeModel(), [{}]);
    out.restore();
    expect(out.text()).toBe('\nEpoch 1: LearningRateScheduler setting learning rate to 1e-05.\n');
  });
});
