// Human-readable names for tensors and records, shared by the tape printout and the DOT export.
import { type Tensor, formatShape } from '@tapegrad/tensor';
import type { TapeRecord } from './recorder.js';
import { Variable } from './variable.js';

/** A tensor's label: a variable's name, else `t<id>`. */
export function labelOf(t: Tensor): string {
  return t instanceof Variable ? t.name : `t${t.id}`;
}

/** One line for a record: `#3 matmul(t5 [32, 2], w [2, 50]) -> t9 [32, 50]`. */
export function describeRecord(rec: TapeRecord): string {
  const args = rec.inputs.map((t) => `${labelOf(t)} ${formatShape(t.shape)}`).join(', ');
  return `#${rec.id} ${rec.op}(${args}) -> ${labelOf(rec.output)} ${formatShape(rec.output.shape)}`;
}
