// The results table (with speed ratios and the machine it ran on) and bench/results.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { FRAMEWORK_IDS, type FrameworkId, type Result } from './harness.js';

const LABELS: Record<FrameworkId, string> = { tapegrad: 'tapegrad', tfjs_cpu: 'tfjs CPU', tfjs_wasm: 'tfjs WASM' };

/** CPU model and count, Node version and platform. */
export function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `${model} (${cpus.length} logical CPUs), Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

/**
 * How many times faster tapegrad is than `other` (> 1: tapegrad is faster): the ratio of the values when higher
 * is better (throughputs), its inverse when lower is better (times). Undefined when either value is missing.
 */
export function speedRatio(tapegrad: number | undefined, other: number | undefined, higherIsBetter: boolean): number | undefined {
  if (tapegrad === undefined || other === undefined || !(tapegrad > 0) || !(other > 0)) return undefined;
  return higherIsBetter ? tapegrad / other : other / tapegrad;
}

/** Three significant digits, without exponent notation for the ranges benchmarks produce. */
function format(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/**
 * The table as text: one row per workload, values per framework, and tapegrad's speed relative to each tfjs backend;
 * `notes` above it, the rows' own notes below it.
 */
export function formatTable(results: readonly Result[], notes: readonly string[] = []): string {
  const head = ['workload', 'what', 'unit', ...FRAMEWORK_IDS.map((f) => LABELS[f]), 'vs tfjs CPU', 'vs tfjs WASM'];
  const rows = results.map(({ workload: w, values: v }) => [
    w.id,
    w.title,
    `${w.unit} (${w.higherIsBetter ? 'higher' : 'lower'} is better)`,
    ...FRAMEWORK_IDS.map((f) => format(v[f])),
    ...(['tfjs_cpu', 'tfjs_wasm'] as const).map((f) => {
      const r = w.ratio === false ? undefined : speedRatio(v.tapegrad, v[f], w.higherIsBetter);
      return r === undefined ? '—' : `${format(r)}×`;
    }),
  ]);
  const footnotes = results.flatMap((r) => r.notes ?? []);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `Machine: ${machine()}`,
    ...notes,
    'Ratios: > 1× means tapegrad is better: tapegrad ÷ tfjs for throughputs, tfjs ÷ tapegrad for times and memory.',
    '',
    line(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    ...(footnotes.length > 0 ? ['', ...footnotes] : []),
  ].join('\n');
}

/**
 * Writes the results to `file` as { "<id>": { tapegrad, tfjs_cpu, tfjs_wasm, unit, mode } } (null where not measured;
 * mode 'full' or 'quick'; a row's extra fields after these), keeping the rows of earlier runs that this run did not
 * measure.
 */
export function writeResults(results: readonly Result[], file: string, mode: 'full' | 'quick' = 'full'): void {
  let all: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      all = {};
    }
  }
  for (const { workload, values, extra } of results) {
    all[workload.id] = {
      tapegrad: values.tapegrad ?? null,
      tfjs_cpu: values.tfjs_cpu ?? null,
      tfjs_wasm: values.tfjs_wasm ?? null,
      unit: workload.unit,
      mode,
      ...extra,
    };
  }
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}
