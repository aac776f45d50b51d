// History: keys per epoch, epoch indices, params, and the convenience properties.
import { describe, expect, it } from 'vitest';
import { CallbackList } from './callback.js';
import { History } from './history.js';
import { FakeModel } from './test-utils.js';

describe('History', () => {
  it('records one value per epoch and key, the epochs and the params', async () => {
    const history = new History();
    const list = new CallbackList([history]);
    list.configure(new FakeModel().asModel(), { verbose: 1, epochs: 5, steps: 16 });
    await list.call('onTrainBegin', {});
    await list.callAt('onEpochEnd', 2, { accuracy: 0.5, loss: 0.7, val_accuracy: 0.55, val_loss: 0.65 });
    await list.callAt('onEpochEnd', 3, { accuracy: 0.6, loss: 0.6, val_accuracy: 0.65, val_loss: 0.55 });
    expect(history.history).toEqual({ accuracy: [0.5, 0.6], loss: [0.7, 0.6], val_accuracy: [0.55, 0.65], val_loss: [0.65, 0.55] });
    expect(history.epoch).toEqual([2, 3]);
    expect(history.params).toEqual({ verbose: 1, epochs: 5, steps: 16 });
  });

  it('exposes loss, accuracy, val_loss and val_accuracy as properties, and get(key)', () => {
    const history = new History();
    history.onTrainBegin();
    history.onEpochEnd(0, { loss: 0.7, learning_rate: 0.01 });
    history.onEpochEnd(1, { loss: 0.6, learning_rate: 0.001 });
    expect(history.loss).toEqual([0.7, 0.6]);
    expect(history.loss).toBe(history.history.loss);
    expect(history.accuracy).toEqual([]);
    expect(history.val_loss).toEqual([]);
    expect(history.val_accuracy).toEqual([]);
    expect(history.get('learning_rate')).toEqual([0.01, 0.001]);
    expect(history.has('loss')).toBe(true);
    expect(history.has('constructor')).toBe(false);
  });

  it('get names the logged keys when a key is missing', () => {
    const history = new History();
    expect(() => history.get('loss')).toThrow("History: no key 'loss'; the logged keys are none (no epoch has ended)");
    history.onEpochEnd(0, { accuracy: 0.5, loss: 0.7 });
    expect(() => history.get('acc')).toThrow("History: no key 'acc'; the logged keys are accuracy, loss");
  });
});
