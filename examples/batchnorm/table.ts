// The side-by-side table printed after each experiment: one column a run, one row a number.
import { type Experiment, type Run, epochsToReach } from './experiment.js';

/** One row: its name, and how to get its cell from a run. */
interface Row {
  name: string;
  cell: (run: Run) => string;
}

const last = (values: readonly number[]): number => values[values.length - 1];
const epochs = (values: readonly number[], target: number): string => String(epochsToReach(values, target) ?? 'never');

/**
 * The rows. fit reports the training numbers as Keras does: running means over the last epoch's batches,
 * in training mode (BatchNormalization using batch statistics, weights still moving); the validation numbers
 * come from an evaluation after the epoch, in inference mode.
 */
const ROWS: Row[] = [
  { name: 'train loss (last epoch)', cell: (r) => last(r.history.loss).toFixed(4) },
  { name: 'train accuracy (last epoch)', cell: (r) => last(r.history.accuracy).toFixed(4) },
  { name: 'validation loss (last epoch)', cell: (r) => last(r.history.val_loss).toFixed(4) },
  { name: 'validation accuracy (last epoch)', cell: (r) => last(r.history.val_accuracy).toFixed(4) },
  { name: 'epochs to 80 % validation accuracy', cell: (r) => epochs(r.history.val_accuracy, 0.8) },
  { name: 'epochs to 90 % validation accuracy', cell: (r) => epochs(r.history.val_accuracy, 0.9) },
  { name: 'time per epoch (median)', cell: (r) => `${r.msPerEpoch.toFixed(1)} ms` },
];

/**
 * The experiment's title, its notes, then the table, as lines:
 * ```
 *                                      without BN     with BN
 * train loss (last epoch)                  0.3571      0.3705
 * ...
 * ```
 */
export function resultTable(e: Experiment): string[] {
  const nameWidth = Math.max(...ROWS.map((r) => r.name.length));
  const cells = ROWS.map((row) => e.runs.map((run) => row.cell(run)));
  const widths = e.runs.map((run, j) => Math.max(run.label.length, ...cells.map((c) => c[j].length)));
  const line = (name: string, values: string[]) => [name.padEnd(nameWidth), ...values.map((v, j) => v.padStart(widths[j]))].join('   ');
  const header = line('', e.runs.map((r) => r.label));
  return [
    e.title,
    ...e.notes,
    '',
    header,
    '─'.repeat(header.length),
    ...ROWS.map((row, i) => line(row.name, cells[i])),
    '─'.repeat(header.length),
    'train: running means over the last epoch, in training mode, as fit reports them; validation: evaluated after it',
  ];
}
