// Test helpers for the callbacks: a fake model with what callbacks use, a fit-like epoch driver, captured output.
import { type MockInstance, vi } from 'vitest';
import type { Model } from '../models/model.js';
import type { Callback, Logs } from './callback.js';
import type { TextWriter } from './progbar.js';

/** A stand-in for Model: stopTraining, weights as plain arrays, an optimizer with a learning rate, save methods. */
export class FakeModel {
  stopTraining = false;
  weights: number[][] = [[0]];
  optimizer = { learningRate: 0.01 };
  saved: string[] = [];
  metrics: { name: string; direction?: string }[] = [];
  isCompiled = false;

  getWeights(): number[][] {
    return this.weights.map((w) => w.slice());
  }

  setWeights(ws: readonly number[][]): void {
    this.weights = ws.map((w) => w.slice());
  }

  asModel(): Model {
    return this as unknown as Model;
  }
}

/** A FakeModel that also has save/saveWeights, recording each call. */
export class SavingModel extends FakeModel {
  async save(dir: string): Promise<void> {
    this.saved.push(`save:${dir}`);
  }

  async saveWeights(path: string): Promise<void> {
    this.saved.push(`saveWeights:${path}`);
  }
}

/**
 * Runs `callback` as fit would over one logs dict per epoch (each epoch first sets the weights to [[epoch]], as if trained),
 * stopping when it sets stopTraining. Returns the epochs run.
 */
export async function runEpochs(callback: Callback, model: FakeModel, sequence: readonly Logs[]): Promise<number> {
  callback.setModel(model.asModel());
  model.stopTraining = false;
  await callback.onTrainBegin({});
  let run = 0;
  for (let epoch = 0; epoch < sequence.length && !model.stopTraining; epoch++) {
    await callback.onEpochBegin(epoch, {});
    model.weights = [[epoch]];
    await callback.onEpochEnd(epoch, { ...sequence[epoch] });
    run++;
  }
  await callback.onTrainEnd({});
  return run;
}

/** A writer that keeps what was written. */
export function captureWriter(isTTY = false): TextWriter & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

/** Captures process.stdout.write while a test runs; `restore()` when done. */
export function captureStdout(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spy: MockInstance = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    chunks.push(String(s));
    return true;
  });
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
}

/** A clock returning the given seconds in turn (then the last one forever). */
export function fakeClock(...times: number[]): () => number {
  let i = 0;
  return () => times[Math.min(i++, times.length - 1)];
}

/** The text without ANSI colour codes. */
export const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
