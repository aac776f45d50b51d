// EarlyStopping over scripted logs sequences, traced by hand with Keras's rules (keras/src/callbacks/early_stopping.py).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EarlyStopping, checkOptionNames, monitorDirection } from './early-stopping.js';
import { FakeModel, captureStdout, runEpochs } from './test-utils.js';

const losses = (...v: number[]) => v.map((val_loss) => ({ loss: 1, val_loss }));

afterEach(() => vi.restoreAllMocks());

describe('EarlyStopping', () => {
  it('patience 2: stops after the second epoch without improvement and restores the best weights', async () => {
    // epoch 0: best 1.0 | 1: best 0.8 | 2: wait 1 | 3: wait 2 >= 2 -> stop; the best epoch is 1
    const model = new FakeModel();
    const stop = new EarlyStopping({ patience: 2, restoreBestWeights: true, verbose: 1 });
    const out = captureStdout();
    const run = await runEpochs(stop, model, losses(1.0, 0.8, 0.9, 0.85, 0.7, 0.6));
    out.restore();
    expect(run).toBe(4);
    expect(stop.stoppedEpoch).toBe(3);
    expect(stop.best).toBe(0.8);
    expect(model.weights).toEqual([[1]]);
    expect(out.text()).toBe('Epoch 4: early stopping\nRestoring model weights from the end of the best epoch: 2.\n');
  });

  it('restores the best weights at train end even without an early stop', async () => {
    const model = new FakeModel();
    const stop = new EarlyStopping({ patience: 10, restoreBestWeights: true });
    expect(await runEpochs(stop, model, losses(0.5, 0.4, 0.6))).toBe(3);
    expect(stop.stoppedEpoch).toBe(0);
    expect(model.weights).toEqual([[1]]);
  });

  it('keeps the last weights without restoreBestWeights, and prints nothing at verbose 0', async () => {
    const model = new FakeModel();
    const out = captureStdout();
    await runEpochs(new EarlyStopping({ patience: 1 }), model, losses(0.5, 0.6, 0.7));
    out.restore();
    expect(model.weights).toEqual([[1]]); // stopped after epoch 1
    expect(out.text()).toBe('');
  });

  it('patience 0 never stops at epoch 0 and stops at the first non-improving epoch after', async () => {
    const stop = new EarlyStopping({ monitor: 'loss' });
    expect(await runEpochs(stop, new FakeModel(), [{ loss: 1 }, { loss: 0.5 }, { loss: 0.5 }, { loss: 0.1 }])).toBe(3);
    expect(stop.stoppedEpoch).toBe(2);
  });

  it('minDelta: a smaller change is no improvement (its sign is ignored)', async () => {
    for (const minDelta of [0.1, -0.1]) {
      const stop = new EarlyStopping({ patience: 1, minDelta });
      expect(await runEpochs(stop, new FakeModel(), losses(1.0, 0.95, 0.5))).toBe(2); // 0.95 + 0.1 is not < 1.0
    }
  });

  it('baseline: patience restarts only when the baseline is beaten too', async () => {
    // with baseline 0.5: epoch 0 improves on inf but not on 0.5, so wait stays 1; epoch 1: wait 2 -> stop
    const withBaseline = new EarlyStopping({ patience: 2, baseline: 0.5 });
    expect(await runEpochs(withBaseline, new FakeModel(), losses(0.9, 0.95, 0.96, 0.97))).toBe(2);
    const without = new EarlyStopping({ patience: 2 });
    expect(await runEpochs(without, new FakeModel(), losses(0.9, 0.95, 0.96, 0.97))).toBe(3);
  });

  it('startFromEpoch: warm-up epochs are not monitored nor snapshot', async () => {
    const model = new FakeModel();
    const stop = new EarlyStopping({ monitor: 'loss', startFromEpoch: 2, restoreBestWeights: true });
    const seq = [1, 2, 3, 4, 5].map((loss) => ({ loss }));
    expect(await runEpochs(stop, model, seq)).toBe(4); // epoch 2 is the first monitored (best), epoch 3 stops
    expect(model.weights).toEqual([[2]]);
    expect(await runEpochs(new EarlyStopping({ monitor: 'loss' }), new FakeModel(), seq)).toBe(2);
  });

  it("mode 'auto' maximizes accuracy-like names and asks for a mode otherwise", async () => {
    const stop = new EarlyStopping({ monitor: 'val_accuracy' });
    const seq = [0.5, 0.6, 0.55].map((val_accuracy) => ({ val_accuracy }));
    expect(await runEpochs(stop, new FakeModel(), seq)).toBe(3);
    expect(stop.stoppedEpoch).toBe(2);
    const unknown = new EarlyStopping({ monitor: 'val_score' });
    await expect(runEpochs(unknown, new FakeModel(), [{ val_score: 1 }])).rejects.toThrow(
      "EarlyStopping: cannot tell whether monitor 'val_score' should be maximized or minimized; pass mode: 'max'",
    );
    const explicit = new EarlyStopping({ monitor: 'val_score', mode: 'max' });
    expect(await runEpochs(explicit, new FakeModel(), [1, 2, 1].map((val_score) => ({ val_score })))).toBe(3);
  });

  it("'auto' uses a compiled metric's own direction first", () => {
    const model = new FakeModel();
    model.isCompiled = true;
    model.metrics = [{ name: 'score', direction: 'up' }, { name: 'accuracy', direction: 'down' }];
    expect(monitorDirection('EarlyStopping', 'val_score', 'auto', model.asModel())).toBe('max');
    expect(monitorDirection('EarlyStopping', 'accuracy', 'auto', model.asModel())).toBe('min');
    expect(monitorDirection('EarlyStopping', 'val_mse', 'auto', null)).toBe('min');
    expect(monitorDirection('EarlyStopping', 'val_loss', 'max', null)).toBe('max');
  });

  it('a missing monitor key warns once and skips the epoch', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stop = new EarlyStopping({ patience: 0 });
    expect(await runEpochs(stop, new FakeModel(), [{ loss: 1 }, { loss: 2 }, { loss: 3 }])).toBe(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toBe('Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss');
  });

  it('resets between fits', async () => {
    const stop = new EarlyStopping({ patience: 1 });
    expect(await runEpochs(stop, new FakeModel(), losses(0.1, 0.2, 0.3))).toBe(2);
    expect(await runEpochs(stop, new FakeModel(), losses(5, 4, 3))).toBe(3);
    expect(stop.stoppedEpoch).toBe(0);
  });

  it('refuses unknown options, suggesting the camelCase name; warns on an unknown mode', () => {
    const snake = { restore_best_weights: true } as unknown as ConstructorParameters<typeof EarlyStopping>[0];
    expect(() => new EarlyStopping(snake)).toThrow("EarlyStopping: unknown option 'restore_best_weights' (did you mean 'restoreBestWeights'?)");
    expect(() => checkOptionNames('X', { foo: 1 }, ['bar'])).toThrow("X: unknown option 'foo'; valid options: bar");
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stop = new EarlyStopping({ mode: 'maximum' as unknown as 'max' });
    expect(stop.mode).toBe('auto');
    expect(warn).toHaveBeenCalledWith("EarlyStopping: mode 'maximum' is unknown, fallback to auto mode.");
  });
});
