// One training run as the demo reports it: a timed fit, the History it returns, and the epochs it took to reach an accuracy.
import { Callback, type DataLike, type FitOptions, type History, type Sequential } from 'tapegrad';

/** One trained model: its name in the table and the legend, what fit recorded, and how long an epoch took. */
export interface Run {
  /** A short name: 'without BN', 'with BN', 'raw inputs', ... */
  label: string;
  /** fit's History: `history.loss`, `history.accuracy`, `history.val_loss`, `history.val_accuracy`, one value an epoch. */
  history: History;
  /**
   * Wall-clock milliseconds of an epoch (its training steps and validation pass), the median over the epochs:
   * the first epochs of the first run also pay for the JavaScript engine's warm-up.
   */
  msPerEpoch: number;
}

/** The runs on one data set, compared side by side in a table and a plot. */
export interface Experiment {
  /** The file stem of its plot: 'circles' becomes circles.svg. */
  name: string;
  /** One line saying what data, which split and how many epochs. */
  title: string;
  /** Lines printed under the title, above the table (what to read in it). */
  notes: string[];
  /** The accuracy no model can beat on this data (the Bayes accuracy), when known: the plot draws it. */
  bestPossibleAccuracy?: number;
  runs: Run[];
}

/** Where the demo prints, and how much: fit's `verbose` (1 = Keras's progress bars) and a line printer. */
export interface Output {
  verbose: 0 | 1 | 2;
  log: (line: string) => void;
}

/**
 * Times every epoch. A callback is a class with the hooks it needs; fit calls ours before its own History
 * and progress bar, so the time covers the epoch's training steps and validation pass, not the printing.
 */
class EpochTimer extends Callback {
  private start = 0;
  readonly ms: number[] = [];

  override onEpochBegin(): void {
    this.start = performance.now();
  }

  override onEpochEnd(): void {
    this.ms.push(performance.now() - this.start);
  }

  /** The median over the epochs run (NaN before any). */
  medianMs(): number {
    const sorted = [...this.ms].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}

/**
 * Trains an already compiled `model` on (x, y) and returns the run. With verbose output it first prints
 * a heading and the model's summary (Keras's table of layers and parameters), then fit prints its bars.
 */
export async function trainRun(label: string, model: Sequential, x: DataLike, y: DataLike, fit: FitOptions, out: Output): Promise<Run> {
  if (out.verbose > 0) {
    out.log('');
    out.log(`── ${label} ${'─'.repeat(Math.max(0, 70 - label.length))}`);
    model.summary(out.log);
  }
  const timer = new EpochTimer();
  const history = await model.fit(x, y, { ...fit, verbose: out.verbose, callbacks: [timer] });
  return { label, history, msPerEpoch: timer.medianMs() };
}

/** The first epoch (counted from 1) whose value reaches `target`, or null if none does. */
export function epochsToReach(values: readonly number[], target: number): number | null {
  const i = values.findIndex((v) => v >= target);
  return i < 0 ? null : i + 1;
}
