// Printing tensors the way NumPy does: aligned columns, nested brackets, elision past 1000 elements.
import type { Tensor } from './tensor.js';
import { formatShape } from './shape.js';

/** Above this many elements only the first and last EDGE items of each axis are printed (NumPy's threshold). */
const THRESHOLD = 1000;
const EDGE = 3;

/** Formats one number in the style chosen for the whole tensor. */
type NumberFormat = (v: number) => string;

function chooseFormat(values: ArrayLike<number>): NumberFormat {
  let maxAbs = 0;
  let minAbs = Infinity;
  let allIntegers = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allIntegers = false;
  }
  const special = (v: number): string | undefined =>
    Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : undefined;
  if (maxAbs >= 1e8 || (minAbs < 1e-4 && !allIntegers)) return (v) => special(v) ?? scientific(v);
  if (allIntegers) return (v) => special(v) ?? `${v}.`;
  return (v) => special(v) ?? v.toFixed(4);
}

/** NumPy's scientific form: four decimals and an exponent of at least two digits (1.0000e-05). */
function scientific(v: number): string {
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** The elements printed for each axis: all of them, or the first and last EDGE with `null` marking the gap. */
function printedIndices(n: number, elide: boolean): (number | null)[] {
  if (!elide || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  return [0, 1, 2, null, n - 3, n - 2, n - 1];
}

/** Renders a tensor as `tensor([[...]], shape=[..], dtype=float32)`. */
export function formatTensor(t: Tensor): string {
  const elide = t.size > THRESHOLD;
  // Gather the printed values first, so the column width fits exactly those.
  const shown: number[] = [];
  const collect = (axis: number, pos: number): void => {
    if (axis === t.rank) {
      shown.push(t.data[pos]);
      return;
    }
    for (const i of printedIndices(t.shape[axis], elide)) if (i !== null) collect(axis + 1, pos + i * t.strides[axis]);
  };
  if (t.size > 0) collect(0, t.offset);
  const fmt = chooseFormat(shown);
  const width = shown.reduce((w, v) => Math.max(w, fmt(v).length), 0);
  const pad = (s: string): string => s.padStart(width);
  const indent = 'tensor('.length;
  const render = (axis: number, pos: number): string => {
    if (axis === t.rank) return pad(fmt(t.data[pos]));
    const parts = printedIndices(t.shape[axis], elide).map((i) => (i === null ? '...' : render(axis + 1, pos + i * t.strides[axis])));
    const depth = t.rank - axis - 1;
    const sep = depth === 0 ? ', ' : ',' + '\n'.repeat(depth) + ' '.repeat(indent + axis + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = t.size === 0 ? '[]' : render(0, t.offset);
  return `tensor(${body}, shape=${formatShape(t.shape)}, dtype=${t.dtype})`;
}
