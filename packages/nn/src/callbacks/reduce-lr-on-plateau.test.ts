// ReduceLROnPlateau over scripted val_loss sequences, traced by hand with Keras's rules (keras/src/callbacks/reduce_lr_on_plateau.py).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallbackList } from './callback.js';
import { History } from './history.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { FakeModel, captureStdout, runEpochs } from './test-utils.js';

afterEach(() => vi.restoreAllMocks());

/** Runs the callback over `values` of val_loss with the model's lr starting at `lr`; returns the logged learning rates. */
async function logged(reduce: ReduceLROnPlateau, values: number[], lr = 1): Promise<number[]> {
  const model = new FakeModel();
  model.optimizer.learningRate = lr;
  const history = new History();
  const list = new CallbackList([reduce, history]);
  list.configure(model.asModel(), { verbose: 0, epochs: values.length, steps: 1 });
  await list.call('onTrainBegin', {});
  for (let epoch = 0; epoch < values.length; epoch++) await list.callAt('onEpochEnd', epoch, { loss: 1, val_loss: values[epoch] });
  return history.get('learning_rate');
}

describe('ReduceLROnPlateau', () => {
  it('reduces after patience epochs, waits out the cooldown, stops at minLr', async () => {
    // patience 2, cooldown 2: reductions at the ends of epochs 2, 5 and 8 (1 -> 0.5 -> 0.25 -> max(0.125, 0.2));
    // at epoch 11 wait reaches 2 again but lr == minLr, so nothing changes. Each epoch logs the rate it used, as float32.
    const f32 = Math.fround(0.2);
    const reduce = new ReduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 2, minLr: 0.2 });
    const rates = await logged(reduce, Array(12).fill(1));
    expect(rates).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, f32, f32, f32]);
    expect(reduce.wait).toBe(2);
  });

  it('cooldown 1 changes nothing (the counter runs out in the same epoch), as in Keras', async () => {
    const withCooldown = await logged(new ReduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1 }), Array(7).fill(1));
    const without = await logged(new ReduceLROnPlateau({ factor: 0.5, patience: 2 }), Array(7).fill(1));
    expect(withCooldown).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(without).toEqual(withCooldown);
  });

  it('an improvement larger than minDelta resets the wait', async () => {
    // patience 2, minDelta 1e-4: 0.99995 is no improvement on 1 (wait 1); 0.9 is (wait 0); 0.9, 0.9 -> reduce at epoch 4
    const rates = await logged(new ReduceLROnPlateau({ factor: 0.1, patience: 2 }), [1, 0.99995, 0.9, 0.9, 0.9, 0.9]);
    expect(rates).toEqual([1, 1, 1, 1, 1, 0.10000000149011612]); // float32(0.1)
  });

  it("maximizes accuracy in 'auto' mode", async () => {
    const model = new FakeModel();
    model.optimizer.learningRate = 1;
    const reduce = new ReduceLROnPlateau({ monitor: 'val_accuracy', factor: 0.5, patience: 1 });
    await runEpochs(reduce, model, [0.5, 0.6, 0.7, 0.65].map((val_accuracy) => ({ val_accuracy })));
    expect(model.optimizer.learningRate).toBe(0.5);
  });

  it('prints each reduction with Python repr of the new rate, computed from the float32 rate as Keras', async () => {
    const model = new FakeModel();
    model.optimizer.learningRate = 1e-4;
    const out = captureStdout();
    await runEpochs(new ReduceLROnPlateau({ patience: 1, verbose: 1 }), model, [{ val_loss: 1 }, { val_loss: 1 }]);
    out.restore();
    // float32(1e-4) = 9.999999747378752e-05, times 0.1: the message real Keras logs show
    expect(out.text()).toBe('\nEpoch 2: ReduceLROnPlateau reducing learning rate to 9.999999747378752e-06.\n');
  });

  it('logs learning_rate even without the monitored key, and warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = new FakeModel();
    const history = new History();
    const list = new CallbackList([new ReduceLROnPlateau({ patience: 0 }), history]);
    list.configure(model.asModel(), { verbose: 0, epochs: 2, steps: 1 });
    await list.call('onTrainBegin', {});
    await list.callAt('onEpochEnd', 0, { loss: 1 });
    await list.callAt('onEpochEnd', 1, { loss: 1 });
    expect(history.get('learning_rate')).toEqual([0.009999999776482582, 0.009999999776482582]); // float32(0.01)
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toBe('Learning rate reduction is conditioned on metric `val_loss` which is not available. Available metrics are: loss,learning_rate.');
  });

  it('refuses factor >= 1', () => {
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow('ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1');
    expect(() => new ReduceLROnPlateau({ factor: NaN })).toThrow('Received factor=NaN');
  });
});
