// gradCheck: compares the tape's gradients with central finite differences, in float64.
import { Random, Tensor, type TypedArray, formatShape, randomUniform, sizeOf } from '@tapegrad/tensor';
import { mul } from './ops/binary.js';
import { sum } from './ops/reduce.js';
import { noGrad } from './recorder.js';
import { GradientTape } from './tape.js';
import type { Variable } from './variable.js';

/** Options of {@link gradCheck}. */
export interface GradCheckOptions {
  /** Step of the central difference (f(x+h) - f(x-h)) / 2h; default 1e-5, near the optimum ∛ε for float64. */
  eps?: number;
  /** Errors are relative to max(|analytic|, |numeric|, minScale); default 1e-3, so tiny gradients are compared absolutely. */
  minScale?: number;
  /** Check at most this many elements per input, chosen at random (seeded); default 400. */
  maxElements?: number;
  /** Which inputs to check (indices); default all. */
  inputs?: readonly number[];
  /**
   * Variables that `f` reads (a layer's weights), checked too: they are perturbed in place and restored,
   * and reported after the inputs (index inputs.length + k). They must be float64.
   */
  variables?: readonly Variable[];
  /** Seed for the output projection and the element sample; default 0. */
  seed?: number;
}

/** The element of one input where analytic and numeric gradients disagree most. */
export interface GradCheckWorst {
  /** Which input (inputs first, then the variables: inputs.length + k). */
  input: number;
  /** The element's index in that input. */
  index: number[];
  /** The gradient from the tape. */
  analytic: number;
  /** The central-difference estimate. */
  numeric: number;
  /** |analytic - numeric| / max(|analytic|, |numeric|, minScale). */
  relError: number;
}

/** The result of {@link gradCheck}. */
export interface GradCheckReport {
  /** The largest relative error over every checked element. */
  maxRelError: number;
  /** The largest absolute difference over every checked element. */
  maxAbsError: number;
  /** How many elements were checked. */
  checked: number;
  /** Where the largest relative error occurred (null if nothing was checked). */
  worst: GradCheckWorst | null;
  /** A one-line summary naming the worst element. */
  toString(): string;
}

/**
 * Checks the gradients of `f` at `inputs` against central finite differences in float64.
 *
 * A non-scalar output is projected to a scalar, sum(f(x) · R) with a fixed random R, so every output
 * element is checked at once. Inputs must be float64; each is copied first (keeping its strides, so
 * transposed and sliced views stay views) and perturbed one element at a time.
 *
 * @example
 * ```ts
 * const report = gradCheck((a, b) => mul(a, b), [randomNormal([3, 1], { dtype: 'float64' }), randomNormal([4], { dtype: 'float64' })]);
 * report.maxRelError < 1e-6; // true
 * ```
 */
export function gradCheck(f: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradCheckOptions = {}): GradCheckReport {
  const eps = options.eps ?? 1e-5;
  const minScale = options.minScale ?? 1e-3;
  const rng = new Random(options.seed ?? 0);
  const xs = inputs.map((x, i) => copyForCheck(x, i));
  const variables = options.variables ?? [];
  for (const v of variables) {
    if (v.dtype !== 'float64') throw new Error(`gradCheck: variable '${v.name}' is ${v.dtype}; gradient checks need float64 (build the layer with dtype: 'float64')`);
  }
  const which = options.inputs ?? xs.map((_, i) => i);
  const checked: Tensor[] = [...which.map((i) => xs[i]), ...variables];
  const labels = [...which, ...variables.map((_, k) => xs.length + k)];
  // 1. The scalar objective: the output, projected onto fixed random weights when it is not a scalar.
  let weights: Tensor | null = null;
  const evaluate = (): Tensor => {
    const y = f(...xs);
    if (!(y instanceof Tensor)) throw new Error('gradCheck: f must return a Tensor');
    if (y.dtype !== 'float64') throw new Error(`gradCheck: f returned a ${y.dtype} tensor; gradient checks need float64 throughout`);
    return y;
  };
  const objective = (): Tensor => {
    const y = evaluate();
    if (y.size === 1) return y;
    weights ??= randomUniform(y.shape, { minval: 0.5, maxval: 1.5, dtype: 'float64', rng });
    return sum(mul(y, weights));
  };
  // 2. Analytic gradients from the tape.
  const tape = new GradientTape();
  tape.watch(...xs, ...variables);
  const loss = tape.run(objective);
  const analytic = tape.gradient(loss, checked, { unconnected: 'zero' });
  // 3. Numeric gradients, element by element, compared as we go.
  const report = { maxRelError: 0, maxAbsError: 0, checked: 0, worst: null as GradCheckWorst | null };
  // Σ R·(f(x+h) − f(x−h)): the outputs are differenced before they are projected, so the many outputs one element
  // does not move cancel exactly instead of leaving the rounding error of a large sum (~1e-16·|f|/h) in the estimate.
  const r = weights === null ? null : (weights as Tensor).toTypedArray();
  const projectedDifference = (u: TypedArray, d: TypedArray): number => {
    if (r === null) return u[0] - d[0];
    let s = 0;
    for (let i = 0; i < r.length; i++) s += r[i] * (u[i] - d[i]);
    return s;
  };
  checked.forEach((x, k) => {
    const inputIndex = labels[k];
    const g = analytic[k];
    for (const index of sampleIndices(x.shape, options.maxElements ?? 400, rng)) {
      const pos = x.offset + index.reduce((p, v, a) => p + v * x.strides[a], 0);
      const orig = x.data[pos];
      x.data[pos] = orig + eps;
      const up = noGrad(evaluate).toTypedArray(); // copied at once: the output may be a view of x
      x.data[pos] = orig - eps;
      const down = noGrad(evaluate).toTypedArray();
      x.data[pos] = orig;
      const numeric = projectedDifference(up, down) / (2 * eps);
      const a = g.get(...index);
      const abs = Math.abs(a - numeric);
      const rel = abs / Math.max(Math.abs(a), Math.abs(numeric), minScale);
      report.checked++;
      report.maxAbsError = Math.max(report.maxAbsError, abs);
      const key = Number.isNaN(rel) ? Infinity : rel; // a NaN on either side is the worst possible outcome
      if (report.worst === null || key > report.maxRelError) {
        report.maxRelError = key;
        report.worst = { input: inputIndex, index, analytic: a, numeric, relError: rel };
      }
    }
  });
  const describeInput = (i: number): string => (i < xs.length ? `input ${i}` : `variable '${variables[i - xs.length].name}'`);
  return {
    ...report,
    toString(): string {
      const w = report.worst;
      if (w === null) return 'gradCheck: nothing to check';
      return (
        `gradCheck: max relative error ${w.relError.toExponential(3)} at ${describeInput(w.input)} ` +
        `[${w.index.join(', ')}] (of ${formatShape(checked[labels.indexOf(w.input)].shape)}): analytic ${w.analytic}, numeric ${w.numeric}; ` +
        `${report.checked} elements checked`
      );
    },
  };
}

/** A private copy of an input with the same layout, so perturbing one element moves exactly one element. */
function copyForCheck(x: Tensor, i: number): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`gradCheck: input ${i} is not a Tensor`);
  if (x.dtype !== 'float64') {
    throw new Error(`gradCheck: input ${i} is ${x.dtype}; gradient checks need float64 inputs (use cast(x, 'float64'))`);
  }
  const broadcast = x.shape.some((d, a) => d > 1 && x.strides[a] === 0);
  if (broadcast) return new Tensor(x.toTypedArray(), x.shape.slice());
  return new Tensor(x.data.slice(), x.shape.slice(), x.strides.slice(), x.offset);
}

/** Every index of `shape`, or `max` of them drawn at random without repetition. */
function sampleIndices(shape: readonly number[], max: number, rng: Random): number[][] {
  const size = sizeOf(shape);
  const flat = size <= max ? Array.from({ length: size }, (_, i) => i) : Array.from(rng.permutation(size).subarray(0, max)).sort((a, b) => a - b);
  return flat.map((i) => {
    const index = new Array<number>(shape.length);
    for (let a = shape.length - 1; a >= 0; a--) {
      index[a] = i % shape[a];
      i = Math.floor(i / shape[a]);
    }
    return index;
  });
}
