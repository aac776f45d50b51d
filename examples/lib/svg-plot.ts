// A small line-chart maker that writes SVG text: axes, ticks, a legend, and several series. No dependencies.
//
// It makes what the examples need and no more: lines with optional markers, a linear or log2 x axis, and panels
// side by side. The SVG opens in any browser and in GitHub's file view.

/** One line of a chart. */
export interface Series {
  /** The legend entry. */
  label: string;
  /** The points, [x, y], in the order they are joined. */
  points: readonly (readonly [number, number])[];
  /** Any CSS colour; default one of {@link PALETTE} by position. */
  color?: string;
  /** Draw the line dashed (for a second family of series that shares colours with the first). */
  dashed?: boolean;
}

/** Options of {@link lineChart}. */
export interface ChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Size in pixels; default 480 × 320. */
  width?: number;
  height?: number;
  /** 'log2' spaces 2, 8, 32, 128 evenly; default 'linear'. */
  xScale?: 'linear' | 'log2';
  /** Where to put x ticks; default about five round numbers (log2: the x values of the points). */
  xTicks?: readonly number[];
  /** The y range; default the data's range, widened to round numbers. */
  yDomain?: readonly [number, number];
  /** How tick values are written; default up to 3 significant digits. */
  yFormat?: (v: number) => string;
  /** Draw a dot at every point; default true when no series has more than 12 points. */
  markers?: boolean;
  /** The corner of the plot area that holds the legend; default 'top-right'. */
  legendAt?: 'top-right' | 'bottom-right' | 'top-left' | 'bottom-left';
}

/** Colours that stay distinguishable for colour-blind readers (Okabe and Ito). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

const MARGIN = { top: 34, right: 16, bottom: 46, left: 56 };
let chartCount = 0; // gives each chart's clip path its own id, so charts can share one document

/**
 * A complete `<svg>` document with one chart.
 * @example
 * ```ts
 * writeFileSync('loss.svg', lineChart([{ label: 'loss', points: [[1, 0.9], [2, 0.5], [3, 0.4]] }], { xLabel: 'epoch' }));
 * ```
 */
export function lineChart(series: readonly Series[], options: ChartOptions = {}): string {
  const width = options.width ?? 480;
  const height = options.height ?? 320;
  const logX = options.xScale === 'log2';
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) throw new Error('lineChart: no points to plot');
  // 1. Scales: data coordinates to pixels. The x axis may be logarithmic; y always grows upwards.
  const tx = (x: number): number => (logX ? Math.log2(x) : x);
  const xs = all.map(([x]) => tx(x));
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  const [y0, y1] = options.yDomain ?? niceDomain(Math.min(...all.map(([, y]) => y)), Math.max(...all.map(([, y]) => y)));
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const px = (x: number): number => MARGIN.left + ((tx(x) - x0) / (x1 - x0)) * plotW;
  const py = (y: number): number => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * plotH;
  const out: string[] = [];
  // 2. Grid lines and tick labels.
  const fmt = options.yFormat ?? formatNumber;
  for (const y of ticks(y0, y1)) {
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${r(py(y))}" y2="${r(py(y))}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${r(py(y) + 4)}" text-anchor="end">${esc(fmt(y))}</text>`);
  }
  const xTicks = options.xTicks ?? (logX ? [...new Set(all.map(([x]) => x))].sort((a, b) => a - b) : ticks(x0, x1));
  for (const x of xTicks) {
    out.push(`<line x1="${r(px(x))}" x2="${r(px(x))}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#444"/>`);
    out.push(`<text x="${r(px(x))}" y="${MARGIN.top + plotH + 17}" text-anchor="middle">${esc(formatNumber(x))}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`);
  // 3. The series, clipped to the plot area, then the legend.
  const clipId = `plot-area-${++chartCount}`;
  const markers = options.markers ?? series.every((s) => s.points.length <= 12);
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const d = s.points.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${r(px(x))},${r(py(y))}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash} clip-path="url(#${clipId})"/>`);
    if (markers) for (const [x, y] of s.points) out.push(`<circle cx="${r(px(x))}" cy="${r(py(y))}" r="3" fill="${color}"/>`);
  });
  const corner = options.legendAt ?? 'top-right';
  const boxH = legendHeight(series);
  const legendTop = corner.startsWith('top') ? MARGIN.top + 8 : MARGIN.top + plotH - 8 - boxH;
  out.push(legend(series, corner.endsWith('right') ? 'right' : 'left', corner.endsWith('right') ? MARGIN.left + plotW - 8 : MARGIN.left + 8, legendTop));
  // 4. Titles.
  if (options.title) out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(options.title)}</text>`);
  if (options.xLabel) out.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle">${esc(options.xLabel)}</text>`);
  if (options.yLabel) {
    out.push(`<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>`);
  }
  const clip = `<defs><clipPath id="${clipId}"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`;
  return svgDocument(width, height, [clip, ...out].join('\n'));
}

/** Several charts made by {@link lineChart}, side by side in one `<svg>` (each keeps its own size). */
export function sideBySide(charts: readonly string[]): string {
  let x = 0;
  let height = 0;
  const parts = charts.map((svg) => {
    const w = Number(/width="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? 0);
    const h = Number(/height="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? 0);
    const inner = svg.replace(/^<\?xml[^>]*>\s*/, '').replace(/<svg /, `<svg x="${x}" `);
    x += w;
    height = Math.max(height, h);
    return inner;
  });
  return svgDocument(x, height, parts.join('\n'));
}

const LEGEND_ROW = 16;

function legendHeight(series: readonly Series[]): number {
  return series.length * LEGEND_ROW + 6;
}

/** The legend: a short line sample and the label of each series, on a white box with one side at `x`. */
function legend(series: readonly Series[], align: 'left' | 'right', x: number, top: number): string {
  const rowH = LEGEND_ROW;
  const textW = Math.max(...series.map((s) => s.label.length)) * 6.2; // a guess at 11px Helvetica's average width
  const boxW = textW + 36;
  const left = align === 'right' ? x - boxW : x;
  const rows = series.map((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const y = top + 12 + i * rowH;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    return `<line x1="${r(left + 6)}" x2="${r(left + 26)}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2"${dash}/>` +
      `<text x="${r(left + 30)}" y="${y}">${esc(s.label)}</text>`;
  });
  return `<rect x="${r(left)}" y="${top}" width="${r(boxW)}" height="${legendHeight(series)}" fill="white" fill-opacity="0.85" stroke="#ccc"/>\n${rows.join('\n')}`;
}

function svgDocument(width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="Helvetica, Arial, sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`
  );
}

/** The range [lo, hi] widened to multiples of a round step, so the axis starts and ends on a tick. */
function niceDomain(lo: number, hi: number): [number, number] {
  if (lo === hi) return [lo - 1, hi + 1];
  const step = niceStep(hi - lo);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

/** A step of 1, 2 or 5 times a power of ten that cuts `span` into about five parts. */
function niceStep(span: number): number {
  const raw = span / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

/** Round tick values from lo to hi. */
function ticks(lo: number, hi: number): number[] {
  const step = niceStep(hi - lo);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function formatNumber(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

/** Pixel coordinates to two decimals: shorter files, no visible difference. */
function r(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Text safe inside SVG elements. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
