// ProgbarLogger driven through fit-, evaluate- and predict-like hook sequences, with expected Keras lines worked out by hand.
import { describe, expect, it } from 'vitest';
import type { Logs } from './callback.js';
import { ProgbarLogger } from './progbar-logger.js';
import { captureWriter, fakeClock, plain } from './test-utils.js';

const B = '\x1b[1m';
const R = '\x1b[0m';
const G = '\x1b[32m';
const D = '\x1b[37m';
const FULL = `${G}${'━'.repeat(20)}${R}${D}${R}`;
const EPOCH_LOGS: Logs = { accuracy: 0.846, loss: 0.35612, val_accuracy: 0.848, val_loss: 0.345 };

/** Clock times of one 16-step epoch: start 0, a slow first step ending at 10 ms, then 3 ms a step; the end at 55 ms. */
const epochTimes = (): number[] => [0, ...Array.from({ length: 16 }, (_, b) => 0.01 + 0.003 * b), 0.01 + 0.003 * 15];

function fitEpoch(logger: ProgbarLogger, epoch: number): void {
  logger.onEpochBegin(epoch);
  for (let b = 0; b < 16; b++) logger.onTrainBatchEnd(b, { accuracy: 0.5, loss: 0.7 });
  logger.onEpochEnd(epoch, EPOCH_LOGS);
}

describe('ProgbarLogger in fit', () => {
  it('verbose 1 without a TTY prints the finished Keras line of the epoch', () => {
    const w = captureWriter(false);
    const logger = new ProgbarLogger({ writer: w, clock: fakeClock(...epochTimes()) });
    logger.setParams({ verbose: 1, epochs: 1, steps: 16 });
    logger.onTrainBegin();
    fitEpoch(logger, 0);
    expect(w.text()).toBe(
      `${B}16/16${R} ${FULL} ${B}0s${R} 3ms/step - accuracy: 0.8460 - loss: 0.3561 - val_accuracy: 0.8480 - val_loss: 0.3450\n`,
    );
    expect(plain(w.text())).toBe(
      '16/16 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - accuracy: 0.8460 - loss: 0.3561 - val_accuracy: 0.8480 - val_loss: 0.3450\n',
    );
  });

  it('verbose 1 on a TTY draws step 1, skips redraws within 0.05 s, then redraws the finished line in place', () => {
    const w = captureWriter(true);
    const logger = new ProgbarLogger({ writer: w, clock: fakeClock(...epochTimes()) });
    logger.setParams({ verbose: 1, epochs: 1, steps: 16 });
    logger.onTrainBegin();
    fitEpoch(logger, 0);
    // step 1 at 10 ms: 10 ms/step, eta 0.01 * 15 = 0.15 s -> 0s; int(20 * 1/16) = 1 green; 73 visible characters
    const first = `${B} 1/16${R} ${G}━${R}${D}${'━'.repeat(19)}${R} ${B}0s${R} 10ms/step - accuracy: 0.5000 - loss: 0.7000`;
    const last = `${B}16/16${R} ${FULL} ${B}0s${R} 3ms/step - accuracy: 0.8460 - loss: 0.3561 - val_accuracy: 0.8480 - val_loss: 0.3450`;
    expect(w.text()).toBe(`\r${first}${'\b'.repeat(73)}\r${last}\n`);
  });

  it('prints Epoch i/n before each epoch when epochs > 1', () => {
    const w = captureWriter(false);
    const logger = new ProgbarLogger({ writer: w, clock: fakeClock(...epochTimes(), ...epochTimes()) });
    logger.setParams({ verbose: 1, epochs: 2, steps: 16 });
    logger.onTrainBegin();
    fitEpoch(logger, 0);
    fitEpoch(logger, 1);
    const lines = plain(w.text()).split('\n');
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1].startsWith('16/16 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - accuracy: 0.8460')).toBe(true);
    expect(lines[2]).toBe('Epoch 2/2');
    expect(lines[3]).toBe(lines[1]);
    expect(lines[4]).toBe('');
  });

  it('verbose 2 prints one plain line per epoch', () => {
    // Keras feeds no batch to the bar at verbose 2, so time per step includes the first step: 0.055 / 16 s.
    const w = captureWriter(true);
    const logger = new ProgbarLogger({ writer: w, clock: fakeClock(0, 0.055) });
    logger.setParams({ verbose: 2, epochs: 1, steps: 16 });
    logger.onTrainBegin();
    logger.onEpochBegin(0);
    for (let b = 0; b < 16; b++) logger.onTrainBatchEnd(b, { loss: 0.7 });
    logger.onEpochEnd(0, { accuracy: 0.846, loss: -0.35612 });
    expect(w.text()).toBe('16/16 - 0s - 3ms/step - accuracy: 0.8460 - loss: -3.5612e-01\n');
  });

  it('verbose 0 prints nothing, and validation inside fit is silent', () => {
    const w = captureWriter(false);
    const silent = new ProgbarLogger({ writer: w, clock: fakeClock(...epochTimes()) });
    silent.setParams({ verbose: 0, epochs: 3, steps: 16 });
    silent.onTrainBegin();
    fitEpoch(silent, 0);
    const inFit = new ProgbarLogger({ writer: w, clock: fakeClock(0) });
    inFit.setParams({ verbose: 1, epochs: 1, steps: 2 });
    inFit.onTrainBegin();
    inFit.onTestBegin();
    inFit.onTestBatchEnd(0, { loss: 1 });
    inFit.onTestEnd({ loss: 1 });
    expect(w.text()).toBe('');
  });
});

describe('ProgbarLogger in evaluate and predict', () => {
  it('evaluate: one bar over the test batches, finished with the final logs', () => {
    const w = captureWriter(false);
    const logger = new ProgbarLogger({ writer: w, clock: fakeClock(0, 0.1, 0.2, 0.3, 0.4, 0.4) });
    logger.setParams({ verbose: 1, epochs: 1, steps: 4 });
    logger.onTestBegin();
    for (let b = 0; b < 4; b++) logger.onTestBatchEnd(b, { loss: 0.5 });
    logger.onTestEnd({ loss: 0.3 });
    expect(w.text()).toBe(`${B}4/4${R} ${FULL} ${B}0s${R} 100ms/step - loss: 0.3000\n`);
  });

  it('evaluate after fit is not silenced', () => {
    const w = captureWriter(false);
    const logger = new ProgbarLogger({ writer: w, clock: fakeClock(0, 1, 2) });
    logger.setParams({ verbose: 1, epochs: 1, steps: 1 });
    logger.onTrainBegin();
    logger.onTrainEnd();
    logger.onTestBegin();
    logger.onTestBatchEnd(0, { loss: 0.5 });
    logger.onTestEnd({ loss: 0.5 });
    expect(plain(w.text())).toBe(`1/1 ${'━'.repeat(20)} 2s 2s/step - loss: 0.5000\n`); // one step: (2 - 0) / 1
  });

  it('predict: a bar without values', () => {
    const w = captureWriter(false);
    const logger = new ProgbarLogger({ writer: w, clock: fakeClock(0, 0.1, 0.2, 0.3, 0.4, 0.4) });
    logger.setParams({ verbose: 1, epochs: 1, steps: 4 });
    logger.onPredictBegin();
    for (let b = 0; b < 4; b++) logger.onPredictBatchEnd(b);
    logger.onPredictEnd({});
    expect(w.text()).toBe(`${B}4/4${R} ${FULL} ${B}0s${R} 100ms/step\n`);
  });

  it('unknown steps (0) take the number of batches seen', () => {
    const w = captureWriter(false);
    const logger = new ProgbarLogger({ writer: w, clock: fakeClock(0, 0.1, 0.2, 0.3, 0.3) });
    logger.setParams({ verbose: 1, epochs: 1, steps: 0 });
    logger.onPredictBegin();
    for (let b = 0; b < 3; b++) logger.onPredictBatchEnd(b);
    logger.onPredictEnd({});
    expect(w.text()).toBe(`${B}3/3${R} ${FULL} ${B}0s${R} 100ms/step\n`);
  });
});
