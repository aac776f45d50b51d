// Learning curves as SVG files: one Vega-Lite chart per experiment (loss and accuracy per epoch), drawn by Vega in Node.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, VEGA_LITE_SCHEMA, epochX, renderSvg } from '../lib/plot.js';
import type { Experiment } from './experiment.js';

/** One point of a curve, in the "long" layout Vega-Lite likes: one row per value. */
interface Point {
  epoch: number;
  run: string;
  split: 'train' | 'validation';
  metric: 'loss' | 'accuracy';
  value: number;
}

/** Every value the runs' Histories recorded, as rows. */
function points(e: Experiment): Point[] {
  const rows: Point[] = [];
  for (const { label, history } of e.runs) {
    const series = [
      ['train', 'loss', history.loss], ['validation', 'loss', history.val_loss],
      ['train', 'accuracy', history.accuracy], ['validation', 'accuracy', history.val_accuracy],
    ] as const;
    for (const [split, metric, values] of series) {
      values.forEach((value, i) => rows.push({ epoch: i + 1, run: label, split, metric, value }));
    }
  }
  return rows;
}

/**
 * The curves of one panel: the values of one metric against the epoch, a colour per run, solid for the training
 * data and dashed for the validation data.
 */
function curves(e: Experiment, metric: Point['metric'], logScale: boolean) {
  return {
    transform: [{ filter: { field: 'metric', equal: metric } }],
    mark: { type: 'line' as const, strokeWidth: 1.6, clip: true },
    encoding: {
      x: epochX(),
      y: {
        field: 'value', type: 'quantitative' as const, title: metric,
        scale: logScale ? { type: 'log' as const } : { zero: false },
      },
      color: { field: 'run', type: 'nominal' as const, title: 'model', sort: e.runs.map((r) => r.label) },
      strokeDash: { field: 'split', type: 'nominal' as const, title: 'data', sort: ['train', 'validation'] },
    },
  };
}

/** A horizontal dotted line at `value`, with its own one-row data set so that it is drawn once. */
function referenceLine(value: number) {
  return {
    data: { values: [{ value }] },
    mark: { type: 'rule' as const, color: '#444', strokeWidth: 1.2, strokeDash: [2, 3] },
    encoding: { y: { field: 'value', type: 'quantitative' as const } },
  };
}

/** The chart of one experiment: loss and accuracy side by side under the experiment's title. */
export function learningCurvesSpec(e: Experiment): TopLevelSpec {
  const values = points(e);
  const losses = values.filter((p) => p.metric === 'loss').map((p) => p.value);
  // A log scale when the losses span more than a factor of 100 (raw inputs start far above the others).
  const logLoss = Math.max(...losses) > 100 * Math.min(...losses);
  const best = e.bestPossibleAccuracy;
  const size = { width: 380, height: 250 };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: e.title,
      subtitle: 'solid: training data (running mean over the epoch, as fit reports it); dashed: validation data',
      anchor: 'start',
      offset: 16,
    },
    data: { values },
    hconcat: [
      { ...size, title: `Loss (binary crossentropy${logLoss ? ', log scale' : ''})`, layer: [curves(e, 'loss', logLoss)] },
      best === undefined
        ? { ...size, title: 'Accuracy', layer: [curves(e, 'accuracy', false)] }
        : { ...size, title: `Accuracy (dotted: the best possible, ≈ ${best})`, layer: [curves(e, 'accuracy', false), referenceLine(best)] },
    ],
    config: CHART_CONFIG,
  };
}

/** Writes `<dir>/<experiment name>.svg` and returns its path. */
export async function writeLearningCurves(e: Experiment, dir: string): Promise<string> {
  const file = join(dir, `${e.name}.svg`);
  writeFileSync(file, await renderSvg(learningCurvesSpec(e)));
  return file;
}
