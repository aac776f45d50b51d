// Walking several strided operands together, one row (innermost run) at a time: the engine under every
// elementwise kernel. Axes that are laid out back to back in every operand are merged first, so a
// contiguous tensor is one row and a [N, C] + [C] broadcast is N rows of C.
import type { Shape } from '../shape.js';

/** One operand of a walk: its strides over the common shape (0 along broadcast axes) and its offset. */
export interface Operand {
  readonly strides: Shape;
  readonly offset: number;
}

/**
 * Called once per row: `n` elements, the row's start in the output (row-major) and in each operand,
 * and each operand's step along the row.
 */
export type RowVisitor = (outStart: number, n: number, starts: Int32Array, steps: Int32Array) => void;

/** Strides of `shape` (its own strides `strides`) read as if broadcast to `outShape` (0 on stretched axes). */
export function broadcastStrides(shape: Shape, strides: Shape, outShape: Shape): number[] {
  const lead = outShape.length - shape.length;
  const out = new Array<number>(outShape.length);
  for (let i = 0; i < outShape.length; i++) {
    out[i] = i < lead || shape[i - lead] === 1 ? 0 : strides[i - lead];
  }
  return out;
}

/**
 * Visits `shape` row by row for all `operands` at once. Dimensions of size 1 are dropped, and each axis
 * is merged into the next when every operand steps over it as one run; what remains is iterated with
 * the last axis innermost.
 */
export function forEachRow(shape: Shape, operands: readonly Operand[], visit: RowVisitor): void {
  const k = operands.length;
  // 1. Keep axes longer than 1, merging an axis into the following one where the layout allows.
  const dims: number[] = [];
  const strides: number[][] = operands.map(() => []);
  for (let axis = 0; axis < shape.length; axis++) {
    const d = shape[axis];
    if (d === 0) return;
    if (d === 1) continue;
    const last = dims.length - 1;
    let mergeable = last >= 0;
    for (let j = 0; j < k && mergeable; j++) {
      mergeable = strides[j][last] === operands[j].strides[axis] * d;
    }
    if (mergeable) {
      dims[last] *= d;
      for (let j = 0; j < k; j++) strides[j][last] = operands[j].strides[axis];
    } else {
      dims.push(d);
      for (let j = 0; j < k; j++) strides[j].push(operands[j].strides[axis]);
    }
  }
  const starts = new Int32Array(k);
  const steps = new Int32Array(k);
  for (let j = 0; j < k; j++) starts[j] = operands[j].offset;
  if (dims.length === 0) {
    visit(0, 1, starts, steps);
    return;
  }
  // 2. Iterate the outer axes with a counter, calling `visit` for each innermost row.
  const rank = dims.length;
  const n = dims[rank - 1];
  for (let j = 0; j < k; j++) steps[j] = strides[j][rank - 1];
  const rows = dims.reduce((p, d) => p * d, 1) / n;
  const counter = new Int32Array(rank);
  for (let row = 0; row < rows; row++) {
    visit(row * n, n, starts, steps);
    for (let axis = rank - 2; axis >= 0; axis--) {
      counter[axis]++;
      for (let j = 0; j < k; j++) starts[j] += strides[j][axis];
      if (counter[axis] < dims[axis]) break;
      for (let j = 0; j < k; j++) starts[j] -= strides[j][axis] * dims[axis];
      counter[axis] = 0;
    }
  }
}
