// The benchmark harness: workloads, frameworks, and round-robin timing with warm-up, calibration and medians.

/** The frameworks a workload can be run on, in the order rounds visit them. */
export const FRAMEWORK_IDS = ['tapegrad', 'tfjs_cpu', 'tfjs_wasm'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

/** The function a runner returns: one call is one unit of work. `dispose` (optional) frees its inputs afterwards. */
export type Timed = (() => unknown) & { dispose?: () => void };

/** Builds a workload's inputs once (under the framework's backend) and returns the function to time. */
export type Runner = () => Timed | Promise<Timed>;

/** One benchmark row. */
export interface Workload {
  /** Row label, e.g. 'W3 n=512'; `pnpm bench W3` selects every row whose id starts with 'W3' (not 'W30'). */
  readonly id: string;
  /** What is measured, e.g. 'float32 matmul [512, 512] · [512, 512]'. */
  readonly title: string;
  /** Unit of the reported value, e.g. 'GFLOP/s', 'µs', 'ms/epoch'. */
  readonly unit: string;
  /** True for throughputs (GFLOP/s), false for times (µs). */
  readonly higherIsBetter: boolean;
  /** The reported value from the median seconds per call (e.g. flops / s / 1e9, or s · 1e6). */
  readonly value: (secondsPerCall: number) => number;
  /** One runner per framework; a missing runner leaves that cell empty. */
  readonly runners: Partial<Record<FrameworkId, Runner>>;
}

/** A framework: how to make it the active one before building inputs or timing a round. */
export interface Framework {
  readonly id: FrameworkId;
  /** Column heading, e.g. 'tfjs CPU'. */
  readonly label: string;
  /** Switches to this framework (for TensorFlow.js, its backend). */
  readonly activate: () => Promise<void>;
}

/** How long to time. */
export interface TimingOptions {
  /** Rounds per framework (5; 3 in quick mode); the median is reported. */
  readonly rounds: number;
  /** Target duration of one round in milliseconds. */
  readonly roundMs: number;
  /** Once a framework has spent this long timing one workload (after its first round), it sits out the rest. */
  readonly budgetMs: number;
}

/** The default timing: 5 rounds of ~200 ms, or 3 rounds of ~50 ms with `quick`. */
export function timingOptions(quick: boolean): TimingOptions {
  return quick ? { rounds: 3, roundMs: 50, budgetMs: 4_000 } : { rounds: 5, roundMs: 200, budgetMs: 30_000 };
}

/** A measured row: the value per framework (absent where there is no runner). */
export interface Result {
  readonly workload: Workload;
  readonly values: Partial<Record<FrameworkId, number>>;
  /** Rounds actually timed per framework. */
  readonly rounds: Partial<Record<FrameworkId, number>>;
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6; // milliseconds

/** Milliseconds for `iterations` calls of `fn`. */
function time(fn: Timed, iterations: number): number {
  const t0 = now();
  for (let i = 0; i < iterations; i++) fn();
  return now() - t0;
}

/**
 * Warms `fn` up and returns how many calls fill one round. Warm-up runs batches doubling in size (up to a fifth
 * of a round each) until at least two calls and one round's worth of time have passed, giving the JIT time to
 * optimize; a call longer than a second is warm-up enough on its own.
 */
function calibrate(fn: Timed, roundMs: number): number {
  let spent = 0;
  let calls = 0;
  let batch = 1;
  let perCall = 0;
  while (calls < 2 || spent < roundMs) {
    const ms = time(fn, batch);
    spent += ms;
    calls += batch;
    perCall = ms / batch;
    if (perCall > 1000) break;
    if (ms < roundMs / 5) batch *= 2;
  }
  return Math.max(1, Math.round(roundMs / Math.max(perCall, 1e-6)));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/**
 * Times one workload on every framework it has a runner for: set-up and warm-up per framework, then rounds that
 * alternate between frameworks (tapegrad, tfjs CPU, tfjs WASM, tapegrad, ...), reporting the median round.
 */
export async function runWorkload(workload: Workload, frameworks: readonly Framework[], options: TimingOptions): Promise<Result> {
  const active = frameworks.filter((f) => workload.runners[f.id]);
  const prepared = new Map<FrameworkId, { fn: Timed; iterations: number; samples: number[]; spent: number }>();
  for (const f of active) {
    await f.activate();
    const fn = await workload.runners[f.id]!();
    prepared.set(f.id, { fn, iterations: calibrate(fn, options.roundMs), samples: [], spent: 0 });
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const f of active) {
      const p = prepared.get(f.id)!;
      if (p.samples.length > 0 && p.spent > options.budgetMs) continue;
      await f.activate();
      const ms = time(p.fn, p.iterations);
      p.spent += ms;
      p.samples.push(ms / 1000 / p.iterations);
    }
  }
  const values: Partial<Record<FrameworkId, number>> = {};
  const rounds: Partial<Record<FrameworkId, number>> = {};
  for (const f of active) {
    const p = prepared.get(f.id)!;
    await f.activate();
    p.fn.dispose?.();
    values[f.id] = workload.value(median(p.samples));
    rounds[f.id] = p.samples.length;
  }
  return { workload, values, rounds };
}

/** The workloads that `selectors` name (all when none): an exact id, or an id prefix not followed by a digit. */
export function selectWorkloads(all: readonly Workload[], selectors: readonly string[]): Workload[] {
  if (selectors.length === 0) return [...all];
  const picked = all.filter((w) =>
    selectors.some((s) => {
      const id = w.id.toLowerCase();
      const sel = s.toLowerCase();
      return id === sel || (id.startsWith(sel) && !/[0-9]/.test(id.charAt(sel.length)));
    }),
  );
  if (picked.length === 0) {
    throw new Error(`bench: no workload matches ${selectors.join(', ')}; known: ${all.map((w) => w.id).join(', ')}`);
  }
  return picked;
}
