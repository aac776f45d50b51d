// Shapes, strides and axes: validation and the small computations every kernel shares.

/** A tensor's dimensions, outermost first. `[]` is a scalar. */
export type Shape = readonly number[];

/** Formats a shape as `[2, 3]` for error messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Number of elements of a shape: the product of its dimensions (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major (C order) strides of a shape: the last axis moves fastest. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** True when two shapes have the same dimensions. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Checks that every dimension is a non-negative integer and returns a copy.
 * @throws Error naming `op` and the offending dimension.
 */
export function checkShape(shape: readonly unknown[], op: string): number[] {
  if (!Array.isArray(shape)) throw new Error(`${op}: shape must be an array of non-negative integers, got ${String(shape)}`);
  const out = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new Error(
        `${op}: dimension ${i} of shape [${shape.map(String).join(', ')}] is ${String(d)}; dimensions must be non-negative integers`,
      );
    }
    out[i] = d;
  }
  return out;
}

/**
 * Resolves a possibly negative axis against `rank` (`-1` is the last axis).
 * @throws Error naming `op` when the axis is not an integer in [-rank, rank).
 */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const valid = rank === 0 ? 'a scalar has no axes' : `valid axes are ${-rank}..${rank - 1}`;
    throw new Error(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}; ${valid}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Resolves an axis, a list of axes or `undefined` (all axes) into sorted, distinct, non-negative axes.
 * @throws Error naming `op` for an out-of-range or repeated axis.
 */
export function normalizeAxes(axes: number | readonly number[] | undefined | null, rank: number, op: string): number[] {
  if (axes === undefined || axes === null) {
    const all = new Array<number>(rank);
    for (let i = 0; i < rank; i++) all[i] = i;
    return all;
  }
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(a, rank, op));
  out.sort((x, y) => x - y);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) throw new Error(`${op}: axis ${out[i]} is repeated in [${list.join(', ')}]`);
  }
  return out;
}

/**
 * The shape two operands broadcast to, by NumPy's rule: align trailing dimensions; each pair must be equal or contain a 1.
 * @throws Error naming `op` and both shapes when they do not broadcast.
 */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dimension ${i} of the result: ${da} vs ${db}); ` +
          'trailing dimensions must be equal or 1',
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}
