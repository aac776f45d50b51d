// The small-batch example's two charts as Vega-Lite specs: accuracy per epoch for each batch size, and the final accuracy against the batch size.
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, VEGA_LITE_SCHEMA, epochX } from '../lib/plot.js';
import type { Norm, Run } from './main.js';

/** The first two colours of Vega's default palette (tableau10): blue for BatchNormalization, orange for LayerNormalization. */
const BLUE = '#4c78a8';
const ORANGE = '#f58518';

/** Accuracies are fractions: both charts show the whole range 0 to 1, so that they compare at a glance. */
const ACCURACY_SCALE = { domain: [0, 1] };

/** Legend samples drawn as short lines (not the points' dots), so that they show the dashes too. */
const LINE_SAMPLES = { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400 };

/** The batch sizes of the runs, smallest first. */
function batchSizes(runs: readonly Run[]): number[] {
  return [...new Set(runs.map((r) => r.batchSize))].sort((a, b) => a - b);
}

/**
 * Two panels side by side, BatchNormalization and LayerNormalization: the held-out accuracy after each epoch, one
 * line per batch size (a colour each, shared by the panels and explained by one legend).
 */
export function curvesSpec(runs: readonly Run[]): TopLevelSpec {
  const labels = batchSizes(runs).map((b) => `batch ${b}`);
  const values = runs.flatMap((r) => r.curve.map((accuracy, i) => ({ norm: r.norm, batch: `batch ${r.batchSize}`, epoch: i + 1, accuracy })));
  const panel = (norm: Norm) => ({
    title: norm,
    width: 380,
    height: 250,
    transform: [{ filter: { field: 'norm', equal: norm } }],
    mark: { type: 'line' as const, point: true, strokeWidth: 2 },
    encoding: {
      x: epochX(),
      y: { field: 'accuracy', type: 'quantitative' as const, title: 'held-out accuracy', scale: ACCURACY_SCALE },
      color: { field: 'batch', type: 'nominal' as const, title: null, sort: labels, legend: LINE_SAMPLES },
    },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    data: { values },
    hconcat: [panel('BatchNormalization'), panel('LayerNormalization')],
    config: CHART_CONFIG,
  };
}

/**
 * The held-out accuracy after training against the batch size (a log2 axis: 2, 8, 32, 128 evenly spaced):
 * BatchNormalization in inference (solid) and in training mode (dashed, same colour), and LayerNormalization.
 */
export function finalAccuracySpec(runs: readonly Run[]): TopLevelSpec {
  const series = [
    { label: 'BatchNormalization, inference (moving averages)', norm: 'BatchNormalization', pick: (r: Run) => r.testAccuracy, color: BLUE, dash: [1, 0] },
    { label: 'BatchNormalization, training mode (batch statistics)', norm: 'BatchNormalization', pick: (r: Run) => r.batchStatsAccuracy, color: BLUE, dash: [6, 4] },
    { label: 'LayerNormalization', norm: 'LayerNormalization', pick: (r: Run) => r.testAccuracy, color: ORANGE, dash: [1, 0] },
  ] as const;
  const values = series.flatMap((s) =>
    runs.filter((r) => r.norm === s.norm).map((r) => ({ series: s.label, batchSize: r.batchSize, accuracy: s.pick(r) })),
  );
  const sizes = batchSizes(runs);
  const labels = series.map((s) => s.label);
  // Colour and dash both encode the series, so Vega-Lite draws one legend whose samples show both.
  const legend = { ...LINE_SAMPLES, orient: 'bottom' as const, direction: 'vertical' as const, labelLimit: 0 };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Held-out accuracy after training',
    data: { values },
    width: 520,
    height: 250,
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'batchSize', type: 'quantitative', title: 'batch size',
        scale: { type: 'log', base: 2, domain: [sizes[0], sizes.at(-1) as number] },
        axis: { values: sizes, format: 'd' },
      },
      y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: ACCURACY_SCALE },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: labels, range: series.map((s) => s.color) }, legend },
      strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: labels, range: series.map((s) => [...s.dash]) }, legend },
    },
    config: CHART_CONFIG,
  };
}
