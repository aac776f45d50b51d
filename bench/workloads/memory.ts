// W5: resident memory over W2 training steps, each framework in a child process of its own (bench/memory-child.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FrameworkId, MeasuredWorkload, Result, Row, RunContext } from '../harness.js';
import type { MemoryTrace } from '../memory-child.js';

const MB = 2 ** 20;
/** Fewer steps than this (a TensorFlow.js child stopped by its time cap) say nothing about flatness: no values. */
const MIN_STEPS = 30;
/** "Flat": every RSS reading after warm-up within ± this many percent of `start`. */
const FLAT_PERCENT = 10;

/**
 * The windows of a trace of `n` steps: the first 5 % (at least 10 steps) are warm-up (weights, optimizer slots, JIT
 * code and the heap reach working size); `start` is the median of the next 5 % (at least 5 readings), `end` the
 * median of the last 5 %. Medians, because the garbage collector makes RSS a sawtooth.
 */
export function windows(n: number): { warmup: number; window: number } {
  return { warmup: Math.max(10, Math.round(0.05 * n)), window: Math.max(5, Math.round(0.05 * n)) };
}

/**
 * How far each framework trains: tapegrad always the full count (2,000 steps; 200 with --quick); TensorFlow.js
 * until the same count or a time cap (its CPU backend needs about half an hour for 2,000 W2 steps on 2 cores).
 * `--w5-steps=N` and `--w5-seconds=S` (0: no cap) override.
 */
function plan(ctx: RunContext): { steps: number; tfjsSeconds: number } {
  const steps = Number(ctx.options['w5-steps'] ?? (ctx.quick ? 200 : 2000));
  const tfjsSeconds = Number(ctx.options['w5-seconds'] ?? (ctx.quick ? 25 : 180));
  if (!(Number.isInteger(steps) && steps >= MIN_STEPS)) throw new Error(`bench: --w5-steps must be an integer of at least ${MIN_STEPS}, got ${steps}`);
  if (!(tfjsSeconds >= 0)) throw new Error(`bench: --w5-seconds must be 0 (no cap) or more, got ${tfjsSeconds}`);
  return { steps, tfjsSeconds };
}

/** Runs one child and parses its trace. */
function runChild(framework: FrameworkId, steps: number, maxSeconds: number): Promise<MemoryTrace> {
  const script = fileURLToPath(new URL('../memory-child.ts', import.meta.url));
  const root = fileURLToPath(new URL('../..', import.meta.url)); // tsx reads the workspace's tsconfig paths from here
  // The same node and loader (tsx) as this process, without profiler or inspector flags.
  const execArgv = process.execArgv.filter((a) => !/^--(cpu-prof|heap-prof|inspect|prof)/.test(a));
  const nodeOptions = (process.env.NODE_OPTIONS ?? '').replace(/--(cpu-prof|heap-prof|inspect)\S*/g, '').trim();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...execArgv, script, framework, String(steps), String(maxSeconds)], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: nodeOptions },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`W5 ${framework} child failed (exit ${code}):\n${err.trim()}`));
      else resolve(JSON.parse(line) as MemoryTrace);
    });
  });
}

/** The summary of one trace: RSS in MB, and the later readings relative to `start` in %. */
export interface MemoryStats {
  /** Median RSS of the window after warm-up. */
  start: number;
  /** Median RSS of the last window. */
  end: number;
  /** Largest reading, warm-up included. */
  max: number;
  /** end ÷ start − 1, in %: the trend a leak shows. */
  trend: number;
  /** Lowest and highest reading after warm-up, in % of start. */
  low: number;
  high: number;
  /** Every reading after warm-up within ±FLAT_PERCENT of start. */
  flat: boolean;
  warmup: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** start, end, max, trend and band of one trace (see {@link windows}). */
export function summarize(t: MemoryTrace): MemoryStats {
  const { warmup, window } = windows(t.rss.length);
  const start = median(t.rss.slice(warmup, warmup + window));
  const end = median(t.rss.slice(-window));
  const later = t.rss.slice(warmup);
  const pct = (x: number): number => ((x - start) / start) * 100;
  const low = pct(Math.min(...later));
  const high = pct(Math.max(...later));
  return {
    start: start / MB,
    end: end / MB,
    max: Math.max(...t.rss) / MB,
    trend: pct(end),
    low,
    high,
    flat: low >= -FLAT_PERCENT && high <= FLAT_PERCENT,
    warmup,
  };
}

/** In words: flat, growing, falling, dipping without growth, or not flat without such a trend. */
function verdict(s: MemoryStats): string {
  if (s.flat) return 'flat';
  if (s.trend > FLAT_PERCENT) return 'GROWING';
  if (s.trend < -FLAT_PERCENT) return 'falling';
  if (s.high <= FLAT_PERCENT) return `no growth (never above +${FLAT_PERCENT} %), but NOT flat: it dips below −${FLAT_PERCENT} % (the GC returning pages)`;
  return `NOT flat (a reading outside ±${FLAT_PERCENT} %)`;
}

const row = (id: string, title: string, unit: string, ratio = true): Row => ({ id, title, unit, higherIsBetter: false, ratio });

/** W5: four rows (start, end, max, trend) from one child process per framework, run side by side. */
export const memoryWorkload: MeasuredWorkload = {
  id: 'W5',
  title: 'resident memory over W2 training steps, one child process per framework',
  async measure(frameworks, ctx): Promise<Result[]> {
    const { steps, tfjsSeconds } = plan(ctx);
    // The children run at the same time: RSS is per process, and W5 times nothing.
    const ids = frameworks.map((f) => f.id);
    const traces = await Promise.all(ids.map((id) => runChild(id, steps, id === 'tapegrad' ? 0 : tfjsSeconds)));
    const all = new Map(ids.map((id, i) => [id, { trace: traces[i], ...summarize(traces[i]) }]));
    const stats = new Map([...all].filter(([, s]) => s.trace.steps >= MIN_STEPS));
    const pick = (k: 'start' | 'end' | 'max' | 'trend'): Partial<Record<FrameworkId, number>> =>
      Object.fromEntries([...stats].map(([id, s]) => [id, s[k]]));
    const sign = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)} %`;
    const rounds = Object.fromEntries(ids.map((id) => [id, 1]));
    const notes = [
      ...[...stats].map(
        ([id, s]) =>
          `W5 ${id}: ${s.trace.steps} steps (${s.trace.mode}, ${(s.trace.steps / s.trace.seconds).toFixed(1)} steps/s), ` +
          `warm-up ${s.warmup}; after it readings from ${sign(s.low)} to ${sign(s.high)} of start, end ${sign(s.trend)}: ${verdict(s)}.`,
      ),
      ...[...all].filter(([id]) => !stats.has(id)).map(([id, s]) => `W5: no ${id} values: only ${s.trace.steps} steps in the time cap (${MIN_STEPS} needed).`),
      `W5: RSS before the first step ${[...all].map(([id, s]) => `${id} ${(s.trace.before / MB).toFixed(0)} MB`).join(', ')}; ` +
        `flat = every reading after warm-up within ±${FLAT_PERCENT} % of start` +
        (tfjsSeconds > 0 ? `; TensorFlow.js stops at ${steps} steps or ${tfjsSeconds} s (--w5-seconds=0 lifts the cap).` : '.'),
    ];
    const what = 'W2 training, one child process each';
    const per = <T>(f: (s: MemoryStats & { trace: MemoryTrace }) => T): Record<string, T> =>
      Object.fromEntries([...stats].map(([id, s]) => [id, f(s)]));
    return [
      { workload: row('W5 start', `RSS just after warm-up (median of 5 % of the steps); ${what}`, 'MB'), values: pick('start'), rounds },
      { workload: row('W5 end', `median RSS of the last 5 % of up to ${steps} steps${ctx.quick ? ' (quick)' : ''}`, 'MB'), values: pick('end'), rounds },
      { workload: row('W5 max', 'largest RSS reading, warm-up included', 'MB'), values: pick('max'), rounds },
      {
        workload: row('W5 trend', `end ÷ start − 1 (a leak grows; band and verdict in the notes)`, '%', false),
        values: pick('trend'),
        rounds,
        notes,
        extra: {
          flat: per((s) => s.flat),
          low: per((s) => s.low),
          high: per((s) => s.high),
          steps: Object.fromEntries([...all].map(([id, s]) => [id, s.trace.steps])),
        },
      },
    ];
  },
};
