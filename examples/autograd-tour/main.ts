// A tour of the gradient tape: a few lines of computation, the recorded ops, the gradients, and the graph as DOT.
//
// Run:  npx tsx examples/autograd-tour/main.ts    (instant; --quick is accepted and changes nothing)
// Writes out/tape.dot; render it with Graphviz: dot -Tsvg examples/autograd-tour/out/tape.dot -o examples/autograd-tour/out/tape.svg
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GradientTape, type Tensor, Variable, add, grad, matmul, mean, square, sub, sum, tanh, tensor, toDot,
} from 'tapegrad';
import { type ExampleOptions, cliOptions, isMain, outputDir, shortPath } from '../lib/example.js';

/** What the example returns to tests and run-all.ts. */
export interface AutogradTourResult {
  loss: number;
  /** dLoss/dw and dLoss/b from the tape, as plain arrays. */
  gradW: number[];
  gradB: number[];
  /** The same gradients worked out by hand with the chain rule, in plain loops. */
  byHandW: number[];
  byHandB: number[];
  dotFile: string;
}

export async function main(options: ExampleOptions = {}): Promise<AutogradTourResult> {
  const log = options.log ?? console.log;

  // 1. A one-unit network: y = tanh(x · w + b), and its mean squared error against the targets.
  //    w and b are Variables: trainable state that a tape watches as soon as an op reads it.
  const w = new Variable(tensor([[0.5], [-1]]), { name: 'w' });
  const b = new Variable(tensor([0.1]), { name: 'b' });
  const x = tensor([[1, 2], [3, -1], [0.5, 0.5]]); // 3 samples of 2 features: plain tensors, not watched
  const target = tensor([[1], [0], [1]]);

  // 2. Run the computation under a tape: every op that involves a watched tensor is recorded, in order.
  const tape = new GradientTape();
  const loss = tape.run(() => {
    const z = add(matmul(x, w), b); // [3, 1]; b broadcasts over the samples
    const y = tanh(z);
    return mean(square(sub(y, target))); // a scalar
  });
  log(`loss = ${loss.item().toFixed(6)}\n`);
  log(`the tape: one line per recorded op, its inputs and its output. Variables show their names, other tensors t<id>:`);
  log(`here x is t${x.id} and the targets are t${target.id}; the others are intermediate results.`);
  log(tape.toString());

  // 3. The graph, as Graphviz DOT. It follows the tape's records, so write it before taking the gradient:
  //    a tape that is not persistent drops its records after its first gradient, to free the memory.
  const dotFile = join(outputDir(import.meta.url, options.outDir), 'tape.dot');
  writeFileSync(dotFile, toDot(loss));
  const shown = shortPath(dotFile);
  log(`\nwrote the graph to ${shown}; render it with:\n  dot -Tsvg ${shown} -o ${shown.replace(/\.dot$/, '.svg')}`);

  // 4. The gradients: the tape walks its records backwards, applying each op's vector-Jacobian product.
  const [dw, db] = tape.gradient(loss, [w, b]) as [Tensor, Tensor];
  log(`\ndloss/dw = ${dw.toString()}\ndloss/db = ${db.toString()}`);
  log(`after the gradient: ${tape.toString()}`);

  // 5. The same numbers by hand, with the chain rule in plain loops (see gradientsByHand below).
  const { byHandW, byHandB } = gradientsByHand(x, target, w, b);
  log(`by hand:  dloss/dw = [${byHandW.map((v) => v.toFixed(6)).join(', ')}], dloss/db = [${byHandB.toFixed(6)}]`);

  // 6. The functional form: grad(f) is a new function that returns df/dx. Gradients are ops too,
  //    so grad(grad(f)) is the second derivative: here tanh'' = -2 tanh · (1 - tanh²).
  const f = (u: Tensor): Tensor => sum(tanh(u));
  const u = tensor([0, 0.5, 1]);
  log(`\nfor u = [0, 0.5, 1]:\n  d/du   Σ tanh(u) = ${grad(f)(u).toString()}`);
  log(`  d²/du² Σ tanh(u) = ${grad((v: Tensor) => sum(grad(f)(v)))(u).toString()}`);
  log(`  (by hand: ${[0, 0.5, 1].map((v) => (-2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)).toFixed(4)).join(', ')})`);

  return { loss: loss.item(), gradW: Array.from(dw.toTypedArray()), gradB: Array.from(db.toTypedArray()), byHandW, byHandB: [byHandB], dotFile };
}

/**
 * dloss/dw and dloss/db of loss = mean((tanh(x · w + b) - target)²), with the chain rule written out for each sample i:
 *   loss = (1/N) Σ (y_i - t_i)²  →  dloss/dy_i = 2 (y_i - t_i) / N    (t_i: the target)
 *   y_i = tanh(z_i)              →  dy_i/dz_i = 1 - y_i²
 *   z_i = x_i · w + b            →  dz_i/dw = x_i, dz_i/db = 1
 */
function gradientsByHand(x: Tensor, target: Tensor, w: Tensor, b: Tensor): { byHandW: number[]; byHandB: number } {
  const X = x.toArray() as number[][];
  const T = (target.toArray() as number[][]).map((row) => row[0]);
  const [w0, w1] = Array.from(w.toTypedArray());
  const b0 = b.toTypedArray()[0];
  const byHandW = [0, 0];
  let byHandB = 0;
  X.forEach(([x0, x1], i) => {
    const y = Math.tanh(x0 * w0 + x1 * w1 + b0);
    const dz = ((2 * (y - T[i])) / X.length) * (1 - y * y); // dloss/dz_i
    byHandW[0] += dz * x0;
    byHandW[1] += dz * x1;
    byHandB += dz;
  });
  return { byHandW, byHandB };
}

if (isMain(import.meta.url)) await main(cliOptions());
