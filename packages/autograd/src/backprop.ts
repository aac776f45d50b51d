// Backpropagation: walk a tape's records from last to first, turning each output's gradient into its inputs'.
import { Tensor, broadcastShapes, formatShape, shapesEqual } from '@tapegrad/tensor';
import type { TapeRecord } from './recorder.js';
import { checkFinite } from './check-numerics.js';
import { add } from './ops/binary.js';
import { sumToShape } from './sum-to-shape.js';
import type { Variable } from './variable.js';

/**
 * Propagates `seed`, the gradient of `target`, back through `records` (in recording order) and returns the
 * gradient of every tensor it reached. Gradients of tensors in `keep` stay in the result; the others are
 * dropped as soon as they have been used, so memory holds only the frontier of the walk.
 */
export function backprop(records: readonly TapeRecord[], target: Tensor, seed: Tensor, keep: ReadonlySet<Tensor>): Map<Tensor, Tensor> {
  const grads = new Map<Tensor, Tensor>([[target, seed]]);
  for (let r = records.length - 1; r >= 0; r--) {
    const rec = records[r];
    const g = grads.get(rec.output);
    if (g === undefined) continue;
    if (!keep.has(rec.output)) grads.delete(rec.output);
    checkVersions(rec);
    const inputGrads = runVjp(rec, g);
    if (inputGrads.length !== rec.inputs.length) {
      throw new Error(
        `${rec.op}: the gradient function returned ${inputGrads.length} gradients for ${rec.inputs.length} inputs; ` +
          'it must return one per input (null for none)',
      );
    }
    for (let i = 0; i < rec.inputs.length; i++) {
      const gi = inputGrads[i];
      if (!rec.needs[i] || gi === null || gi === undefined) continue;
      const x = rec.inputs[i];
      const fitted = fitGradient(rec.op, i, gi, x);
      checkFinite(`gradient of ${rec.op} (input ${i})`, fitted, [g]);
      const prev = grads.get(x);
      grads.set(x, prev === undefined ? fitted : add(prev, fitted));
    }
  }
  return grads;
}

/** Runs a record's VJP; an error inside it (a NaN caught by the numerics check, say) is told where it happened. */
function runVjp(rec: TapeRecord, g: Tensor): readonly (Tensor | null)[] {
  try {
    return rec.vjp(g, rec.needs);
  } catch (e) {
    if (e instanceof Error && !e.message.includes('[in the gradient of ')) e.message += ` [in the gradient of ${rec.op}, op #${rec.id}]`;
    throw e;
  }
}

/** Brings an input's gradient to the input's shape (summing over broadcast axes), or explains why it cannot. */
function fitGradient(op: string, i: number, g: Tensor, x: Tensor): Tensor {
  if (!(g instanceof Tensor)) {
    throw new Error(`${op}: the gradient for input ${i} is ${typeof g}, not a Tensor; return a tensor (or null for none)`);
  }
  if (g.dtype !== x.dtype) {
    throw new Error(`${op}: the gradient for input ${i} is ${g.dtype} but the input is ${x.dtype}; gradients must match their input's dtype`);
  }
  if (shapesEqual(g.shape, x.shape)) return g;
  let fits = g.rank >= x.rank;
  if (fits) {
    try {
      fits = shapesEqual(broadcastShapes(x.shape, g.shape, op), g.shape);
    } catch {
      fits = false;
    }
  }
  if (!fits) {
    throw new Error(
      `${op}: the gradient for input ${i} has shape ${formatShape(g.shape)} but the input has shape ${formatShape(x.shape)}; ` +
        'a gradient must have its input\'s shape (or a shape the input broadcasts to)',
    );
  }
  return sumToShape(g, x.shape);
}

/** Refuses to differentiate through an op whose Variable inputs were assigned after it ran. */
function checkVersions(rec: TapeRecord): void {
  for (let i = 0; i < rec.versions.length; i++) {
    const v = rec.versions[i];
    if (v < 0) continue;
    const variable = rec.inputs[i] as Variable;
    if (variable.version !== v) {
      throw new Error(
        `${rec.op}: variable '${variable.name}' was assigned after op #${rec.id} read it, so its gradient would use stale values; ` +
          'take gradients before updating variables',
      );
    }
  }
}
