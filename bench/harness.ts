// The benchmark harness: workloads, frameworks, and round-robin timing with warm-up, calibration and medians.

/** The frameworks a workload can be run on, in the order rounds visit them. */
export const FRAMEWORK_IDS = ['tapegrad', 'tfjs_cpu', 'tfjs_wasm'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

/**
 * The function a runner returns. One call does `units` units of work (default 1: epochs, steps or samples) and may
 * return a promise (fit is async), which is awaited before the next call. `dispose` (optional) frees its inputs.
 */
export type Timed = (() => unknown) & { dispose?: () => void; units?: number };

/** What a runner or a measured workload is told about the run. */
export interface RunContext {
  /** `--quick`: smaller units of work, fewer rounds. */
  readonly quick: boolean;
  /** Extra command-line options (`--w5-steps=N`), by name without the dashes. */
  readonly options: Readonly<Record<string, string>>;
}

/** Builds a workload's inputs once (under the framework's backend) and returns the function to time. */
export type Runner = (ctx: RunContext) => Timed | Promise<Timed>;

/** What a table row shows: its label, what it measures, and its unit. */
export interface Row {
  /** Row label, e.g. 'W3 n=512'; `pnpm bench W3` selects every row whose id starts with 'W3' (not 'W30'). */
  readonly id: string;
  /** What is measured, e.g. 'float32 matmul [512, 512] · [512, 512]'. */
  readonly title: string;
  /** Unit of the reported value, e.g. 'GFLOP/s', 'µs', 'ms/epoch'. */
  readonly unit: string;
  /** True for throughputs (GFLOP/s), false for times (µs) and sizes (MB). */
  readonly higherIsBetter: boolean;
  /** False to print no tapegrad-vs-tfjs ratio (where a ratio means nothing, e.g. a drift in %). */
  readonly ratio?: boolean;
}

/** One timed benchmark row. */
export interface Workload extends Row {
  /** The reported value from the median seconds per unit of work (e.g. flops / s / 1e9, or s · 1e6). */
  readonly value: (secondsPerUnit: number) => number;
  /** One runner per framework; a missing runner leaves that cell empty. */
  readonly runners: Partial<Record<FrameworkId, Runner>>;
  /** A footnote printed under the table when the row runs (e.g. why a cell is empty). */
  readonly note?: string;
}

/** A workload that measures something other than time (W5's memory): it runs itself and returns its rows. */
export interface MeasuredWorkload {
  /** Selector id, e.g. 'W5'; its rows' ids start with it. */
  readonly id: string;
  /** What is measured, for the progress line. */
  readonly title: string;
  readonly measure: (frameworks: readonly Framework[], ctx: RunContext) => Promise<Result[]>;
}

/** Either kind of workload. */
export type AnyWorkload = Workload | MeasuredWorkload;

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
  /** Least warm-up per framework and workload, in milliseconds: V8 needs about 2 s of a training loop to optimize it. */
  readonly warmupMs: number;
}

/** The default timing: 3 s of warm-up, then 5 rounds of ~200 ms; with `quick`, 0.75 s and 3 rounds of ~50 ms. */
export function timingOptions(quick: boolean): TimingOptions {
  return quick
    ? { rounds: 3, roundMs: 50, budgetMs: 4_000, warmupMs: 750 }
    : { rounds: 5, roundMs: 200, budgetMs: 30_000, warmupMs: 3_000 };
}

/** A measured row: the value per framework (absent where there is no runner). */
export interface Result {
  readonly workload: Row;
  readonly values: Partial<Record<FrameworkId, number>>;
  /** Rounds actually timed per framework. */
  readonly rounds: Partial<Record<FrameworkId, number>>;
  /** Footnotes for under the table. */
  readonly notes?: readonly string[];
  /** Extra fields for this row in results.json (e.g. W5's verdict `flat` per framework). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6; // milliseconds

const isThenable = (x: unknown): x is PromiseLike<unknown> =>
  typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';

/** Milliseconds for `iterations` calls of `fn`, each awaited when it returns a promise (sync calls are not). */
async function time(fn: Timed, iterations: number): Promise<number> {
  const t0 = now();
  for (let i = 0; i < iterations; i++) {
    const r = fn();
    if (isThenable(r)) await r;
  }
  return now() - t0;
}

/**
 * Warms `fn` up and returns how many calls fill one round. Warm-up runs batches doubling in size (up to a fifth
 * of a round each) until `warmupMs` (at least one round) and two calls have passed, giving the JIT time to optimize
 * (a training loop needs about 2 s: W1's epochs take 4× longer in the first half second than after 2 s); when a
 * single call takes more than a second, one call is enough once `warmupMs` has passed.
 */
async function calibrate(fn: Timed, roundMs: number, warmupMs: number): Promise<number> {
  let spent = 0;
  let calls = 0;
  let batch = 1;
  let perCall = 0;
  const least = Math.max(roundMs, warmupMs);
  while (spent < least || (calls < 2 && perCall <= 1000)) {
    const ms = await time(fn, batch);
    spent += ms;
    calls += batch;
    perCall = ms / batch;
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
export async function runWorkload(
  workload: Workload, frameworks: readonly Framework[], options: TimingOptions, ctx: RunContext = { quick: false, options: {} },
): Promise<Result> {
  const active = frameworks.filter((f) => workload.runners[f.id]);
  const prepared = new Map<FrameworkId, { fn: Timed; iterations: number; samples: number[]; spent: number }>();
  for (const f of active) {
    await f.activate();
    const fn = await workload.runners[f.id]!(ctx);
    prepared.set(f.id, { fn, iterations: await calibrate(fn, options.roundMs, options.warmupMs), samples: [], spent: 0 });
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const f of active) {
      const p = prepared.get(f.id)!;
      if (p.samples.length > 0 && p.spent > options.budgetMs) continue;
      await f.activate();
      const ms = await time(p.fn, p.iterations);
      p.spent += ms;
      p.samples.push(ms / 1000 / p.iterations / (p.fn.units ?? 1));
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
  return { workload, values, rounds, notes: workload.note ? [workload.note] : [] };
}

/** The workloads that `selectors` name (all when none): an exact id, or an id prefix not followed by a digit. */
export function selectWorkloads<W extends { readonly id: string }>(all: readonly W[], selectors: readonly string[]): W[] {
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
