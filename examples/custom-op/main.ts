// Two ops with their own gradients — one made with customGradient, one with defineOp — checked with gradCheck in float64.
//
// Run:  npx tsx examples/custom-op/main.ts    (instant; --quick is accepted and changes nothing)
//
// Why write a gradient by hand when the tape differentiates any composition of ops? Because the composition can be
// numerically poor where the function itself is fine: log(1 + eˣ) overflows for x = 100 although its value is
// about 100, and the norm ‖x‖ has a gradient x/‖x‖ that is 0/0 at x = 0. A custom op computes the value and
// the gradient in a safe form, and gradCheck compares that gradient with finite differences.
import {
  type GradCheckReport, GradientTape, type Tensor, abs, add, customGradient, defineOp, div, exp, expandDims, grad, gradCheck, kernels,
  log, log1p, maximum, mul, neg, randomNormal, relu, sigmoid, sqrt, square, sum, tensor,
} from 'tapegrad';
import { type ExampleOptions, cliOptions, isMain } from '../lib/example.js';

// ---- 1. customGradient: softplus(x) = log(1 + eˣ), stable for any x ----

/**
 * log(1 + eˣ) computed as max(x, 0) + log(1 + e^-|x|), which never overflows, with the gradient σ(x).
 * customGradient runs the function without recording what happens inside: the tape sees one op, `softplusStable`,
 * and uses `gradFunc` for its gradient. gradFunc is written with ops, so it can be differentiated again.
 */
export const softplusStable = customGradient((x: Tensor) => ({
  value: add(relu(x), log1p(exp(neg(abs(x))))),
  gradFunc: (dy) => mul(dy, sigmoid(x)),
}), 'softplusStable');

/** The textbook formula, for comparison: the tape differentiates it as exp, then add, then log. */
const softplusNaive = (x: Tensor): Tensor => log(add(exp(x), 1));

// ---- 2. defineOp: the Euclidean norm over the last axis, with a gradient that is 0 (not NaN) at x = 0 ----

/**
 * ‖x‖ over the last axis: forward with kernels (plain loops, nothing recorded), VJP with ops. The VJP reads the
 * op's own output (the norm) from its context instead of recomputing it, as exp's VJP reuses eˣ.
 *   d‖x‖/dx = x / ‖x‖, written x / max(‖x‖, tiny): equal away from 0, and 0 at x = 0 where x/‖x‖ is 0/0.
 */
const safeNormOp = defineOp('safeNorm', {
  forward: ([x]) => kernels.sqrt(kernels.sum(kernels.square(x), -1)),
  vjp: (g, { inputs: [x], output: norm }) => [mul(expandDims(g, -1), div(x, expandDims(maximum(norm, 1e-30), -1)))],
});
export const safeNorm = (x: Tensor): Tensor => safeNormOp([x], undefined);

/** The composition the tape would differentiate by itself: sqrt's gradient 1/(2·sqrt(0)) is infinite at 0. */
const normNaive = (x: Tensor): Tensor => sqrt(sum(square(x), -1));

// ---- 3. A wrong gradient, to see what gradCheck says when it fails ----

/** softplus with a typical bug in its gradient: σ(-x) instead of σ(x). */
const softplusBuggy = customGradient((x: Tensor) => ({
  value: add(relu(x), log1p(exp(neg(abs(x))))),
  gradFunc: (dy) => mul(dy, sigmoid(neg(x))),
}), 'softplusBuggy');

/** The names of the ops a tape records while computing sum(f(x)). */
function recordedOps(f: (x: Tensor) => Tensor, x: Tensor): string {
  const tape = new GradientTape();
  tape.watch(x);
  tape.run(() => sum(f(x)));
  return tape.records.map((r) => r.op).join(' → ');
}

/** What the example returns to tests and run-all.ts: the largest relative error of each check. */
export interface CustomOpResult {
  checks: Record<string, number>;
  /** The error gradCheck reports for the deliberately wrong gradient (large). */
  buggyError: number;
}

export async function main(options: ExampleOptions = {}): Promise<CustomOpResult> {
  const log = options.log ?? console.log;
  const show = (v: Tensor | null): string => (v === null ? 'null' : Array.from(v.toTypedArray(), (e) => Number(e.toPrecision(6))).join(', '));

  // Where the textbook formulas break, in float32 (the default dtype).
  const big = tensor([-100, 0, 30, 100]);
  log('softplus at x = [-100, 0, 30, 100] (float32):');
  log(`  naive   value [${show(softplusNaive(big))}]  gradient [${show(grad((x: Tensor) => sum(softplusNaive(x)))(big))}]`);
  log(`  stable  value [${show(softplusStable(big))}]  gradient [${show(grad((x: Tensor) => sum(softplusStable(x)))(big))}]`);
  log(`  on the tape, naive: ${recordedOps(softplusNaive, big)}; stable: ${recordedOps(softplusStable, big)}`);
  const origin = tensor([[0, 0, 0], [3, 4, 0]]);
  log('\nnorm of the rows [0, 0, 0] and [3, 4, 0]:');
  log(`  naive   value [${show(normNaive(origin))}]  gradient [${show(grad((x: Tensor) => sum(normNaive(x)))(origin))}]`);
  log(`  safe    value [${show(safeNorm(origin))}]  gradient [${show(grad((x: Tensor) => sum(safeNorm(x)))(origin))}]`);

  // The checks: float64 inputs (finite differences need the precision), seeded so every run checks the same points.
  // A non-scalar output is projected on fixed random weights, so every output element takes part.
  const x = randomNormal([4, 5], { dtype: 'float64', seed: 1 });
  const checks: [string, GradCheckReport][] = [
    ['softplusStable', gradCheck(softplusStable, [x])],
    // Second order: the gradient of the gradient, through gradFunc's own ops. d²/dx² softplus = σ(x)(1 - σ(x)).
    ['softplusStable, 2nd order', gradCheck((t) => grad((u: Tensor) => sum(softplusStable(u)))(t), [x])],
    ['safeNorm', gradCheck(safeNorm, [x])],
    ['safeNorm, 2nd order', gradCheck((t) => grad((u: Tensor) => sum(safeNorm(u)))(t), [x])],
  ];
  log('\ngradCheck (float64, central differences):');
  for (const [name, report] of checks) log(`  ${name.padEnd(26)} ${report.maxRelError < 1e-6 ? 'ok  ' : 'FAIL'}  ${report.toString()}`);
  const buggy = gradCheck(softplusBuggy, [x]);
  log(`\na gradient with a bug (σ(-x) instead of σ(x)) does not pass:\n  ${buggy.toString()}`);
  return { checks: Object.fromEntries(checks.map(([name, r]) => [name, r.maxRelError])), buggyError: buggy.maxRelError };
}

if (isMain(import.meta.url)) await main(cliOptions());
