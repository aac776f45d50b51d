// toDot: the recorded graph behind a tensor as Graphviz DOT text, for people studying the engine.
import { type Tensor, formatShape } from '@tapegrad/tensor';
import { labelOf } from './describe.js';
import type { TapeRecord } from './recorder.js';
import { producerOf } from './tape.js';
import { Variable } from './variable.js';

/**
 * The graph of ops that produced `output`, as DOT text: tensors are ellipses (variables shaded), ops are
 * boxes, edges run from inputs to outputs. It follows the records of the tape that recorded `output`, so
 * call it before that tape's gradient (or make the tape persistent). Render with `dot -Tsvg graph.dot -o graph.svg`.
 *
 * @example
 * ```ts
 * const tape = new GradientTape();
 * const y = tape.run(() => sum(mul(w, x)));
 * writeFileSync('graph.dot', toDot(y));
 * ```
 */
export function toDot(output: Tensor): string {
  const lines = ['digraph tape {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];'];
  const seenTensors = new Set<Tensor>();
  const seenRecords = new Set<TapeRecord>();
  const tensorNode = (t: Tensor): string => {
    const id = `t${t.id}`;
    if (!seenTensors.has(t)) {
      seenTensors.add(t);
      const style = t instanceof Variable ? ', style=filled, fillcolor="#dde8f5"' : '';
      lines.push(`  ${id} [shape=ellipse, label="${escape(labelOf(t))}\\n${formatShape(t.shape)}"${style}];`);
    }
    return id;
  };
  const stack: Tensor[] = [output];
  while (stack.length > 0) {
    const t = stack.pop() as Tensor;
    const out = tensorNode(t);
    const rec = producerOf(t);
    if (rec === undefined || seenRecords.has(rec)) continue;
    seenRecords.add(rec);
    const opId = `op${t.id}`;
    lines.push(`  ${opId} [shape=box, style=rounded, label="#${rec.id} ${escape(rec.op)}"];`);
    lines.push(`  ${opId} -> ${out};`);
    rec.inputs.forEach((x, i) => {
      lines.push(`  ${tensorNode(x)} -> ${opId}${rec.inputs.length > 1 ? ` [label="${i}"]` : ''};`);
      stack.push(x);
    });
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** A label safe inside DOT double quotes (a variable or custom op may be named with quotes or backslashes). */
function escape(label: string): string {
  return label.replace(/[\\"]/g, (c) => `\\${c}`);
}
