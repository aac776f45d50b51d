// Charts for the examples: Vega-Lite specs rendered to SVG files by Vega in Node (no browser), and pieces the specs share.
import { View, parse } from 'vega';
import { type TopLevelSpec, compile } from 'vega-lite';

/** The `$schema` of every spec: Vega-Lite 6. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The `config` of every chart: a white background (not transparent, for image viewers) and a margin. */
export const CHART_CONFIG = { background: 'white', padding: 12 };

/**
 * An x channel for a per-epoch curve: the `epoch` field, from epoch 1 (no rounding down to 0) and only whole
 * epochs as ticks.
 */
export function epochX(field = 'epoch') {
  return {
    field, type: 'quantitative' as const, title: 'epoch',
    scale: { domainMin: 1, nice: false }, axis: { format: 'd', tickMinStep: 1 },
  };
}

/**
 * Renders a Vega-Lite spec to an SVG string: Vega-Lite compiles it to a Vega spec, and a headless Vega View
 * (renderer 'none': no browser, no canvas) draws it. Text widths are estimated, which suits plain labels.
 * The text ends with a newline, ready to write to a file.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize(); // releases the view's timers and listeners
  }
}
