// summary(): Keras 3's model summary table (keras/src/utils/summary_utils.py), drawn with box characters.
import type { Layer, SymbolicShape } from '../layer.js';

/** What the summary needs of a model: its name, its layers with their output shapes, and its weights. */
export interface SummarySource {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly built: boolean;
  layerOutputShapes(): SymbolicShape[];
  readonly trainableWeights: readonly SizedWeight[];
  readonly nonTrainableWeights: readonly SizedWeight[];
}

/** A weight as the summary counts it: its number of elements and its element type. */
interface SizedWeight {
  readonly size: number;
  readonly dtype: 'float32' | 'float64';
}

const bytesOf = (ws: readonly SizedWeight[]): number => ws.reduce((n, w) => n + w.size * (w.dtype === 'float64' ? 8 : 4), 0);

// Content widths of the three columns, as in published Keras 3 Sequential summaries (33/24/15 with padding).
const WIDTHS = [31, 22, 13];

/** `(None, 50)` for [null, 50]. */
export function formatSymbolicShape(shape: SymbolicShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** 1234567 → "1,234,567". */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes in Keras's units: "400.00 B", "1.57 KB", "2.36 MB" (steps of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(2)} ${units[u]}`;
}

/** Splits text into lines of at most `width` characters, at spaces where possible. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (w.length > width) {
      if (line) lines.push(line);
      lines.push(w.slice(0, width));
      w = w.slice(width);
      line = '';
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= width) line += ' ' + w;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** One table row (possibly several lines): left, left, right aligned. */
function row(cells: string[], edge: string): string[] {
  const wrapped = cells.map((c, i) => wrap(c, WIDTHS[i]));
  const height = Math.max(...wrapped.map((w) => w.length));
  const out: string[] = [];
  for (let k = 0; k < height; k++) {
    const parts = wrapped.map((w, i) => {
      const text = w[k] ?? '';
      return ' ' + (i === 2 ? text.padStart(WIDTHS[i]) : text.padEnd(WIDTHS[i])) + ' ';
    });
    out.push(edge + parts.join(edge) + edge);
  }
  return out;
}

function rule(left: string, mid: string, right: string, fill: string): string {
  return left + WIDTHS.map((w) => fill.repeat(w + 2)).join(mid) + right;
}

/**
 * The summary text of a model: a box table of layers (name and type, output shape, parameter count),
 * then total, trainable and non-trainable parameter counts with their sizes in bytes, and,
 * once an optimizer has built its state, an `Optimizer params:` line included in the total.
 */
export function summaryText(model: SummarySource, optimizerParams: { count: number; bytes: number } | null = null): string {
  const lines = [`Model: "${model.name}"`];
  lines.push(rule('┏', '┳', '┓', '━'));
  lines.push(...row(['Layer (type)', 'Output Shape', 'Param #'], '┃'));
  lines.push(rule('┡', '╇', '┩', '━'));
  const shapes = model.built ? model.layerOutputShapes() : [];
  model.layers.forEach((layer, i) => {
    if (i > 0) lines.push(rule('├', '┼', '┤', '─'));
    const shape = layer.built && shapes[i] ? formatSymbolicShape(shapes[i]) : '?';
    const params = layer.built ? thousands(layer.countParams()) : '0 (unbuilt)';
    lines.push(...row([`${layer.name} (${layer.className})`, shape, params], '│'));
  });
  lines.push(rule('└', '┴', '┘', '─'));
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const nonTrainable = model.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
  const opt = optimizerParams ?? { count: 0, bytes: 0 };
  const total = trainable + nonTrainable + opt.count;
  const trainableBytes = bytesOf(model.trainableWeights);
  const nonTrainableBytes = bytesOf(model.nonTrainableWeights);
  lines.push(` Total params: ${thousands(total)} (${formatBytes(trainableBytes + nonTrainableBytes + opt.bytes)})`);
  lines.push(` Trainable params: ${thousands(trainable)} (${formatBytes(trainableBytes)})`);
  lines.push(` Non-trainable params: ${thousands(nonTrainable)} (${formatBytes(nonTrainableBytes)})`);
  if (optimizerParams) lines.push(` Optimizer params: ${thousands(opt.count)} (${formatBytes(opt.bytes)})`);
  return lines.join('\n');
}
