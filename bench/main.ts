// `pnpm bench [--quick] [workload ids...]`: runs the benchmarks side by side with TensorFlow.js and prints the table.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tensorPackage from '@tapegrad/tensor';
import { loadFrameworks, tfVersion } from './frameworks.js';
import { type Result, type RunContext, runWorkload, selectWorkloads, timingOptions } from './harness.js';
import { formatTable, writeResults } from './table.js';
import { workloads } from './workloads/index.js';

const USAGE = 'usage: pnpm bench [--quick] [--w5-steps=N] [--w5-seconds=S] [W1 W2 ...]';
const VALUED = ['w5-steps', 'w5-seconds'];

/** `--name=value` options (the known ones) and the flags. */
function parseOptions(argv: readonly string[]): { quick: boolean; options: Record<string, string>; selectors: string[] } {
  const options: Record<string, string> = {};
  let quick = false;
  for (const a of argv) {
    if (!a.startsWith('-') || a === '--') continue;
    const m = /^--([a-z0-9-]+)=(.*)$/.exec(a);
    if (a === '--quick') quick = true;
    else if (m && VALUED.includes(m[1])) options[m[1]] = m[2];
    else throw new Error(`bench: unknown option ${a}; ${USAGE}`);
  }
  return { quick, options, selectors: argv.filter((a) => !a.startsWith('-')) };
}

const load = (): string => os.loadavg()[0].toFixed(2);

/** tapegrad's kernel backend and thread count, where this version of @tapegrad/tensor can say. */
function tapegradSetup(): string {
  const api = tensorPackage as unknown as Record<string, unknown>;
  const ask = (name: string): unknown => (typeof api[name] === 'function' ? (api[name] as () => unknown)() : undefined);
  const backend = ask('getBackend');
  const threads = ask('getNumThreads');
  if (backend === undefined) return 'tapegrad: TypeScript kernels, one thread';
  return `tapegrad: ${String(backend)} backend, up to ${String(threads ?? 1)} thread(s) for large products`;
}

async function main(argv: readonly string[]): Promise<void> {
  const started = performance.now();
  const loadAtStart = load();
  if (os.loadavg()[0] > 0.5 * os.cpus().length) {
    process.stderr.write(`bench: load average ${loadAtStart} on ${os.cpus().length} CPUs: other processes are running; expect low, noisy numbers\n`);
  }
  const { quick, options, selectors } = parseOptions(argv);
  const ctx: RunContext = { quick, options };
  const selected = selectWorkloads(workloads(ctx), selectors);
  const { frameworks, notes } = await loadFrameworks();
  const timing = timingOptions(quick);
  const results: Result[] = [];
  for (const w of selected) {
    process.stderr.write(`${w.id}: ${w.title} ... `);
    const t0 = performance.now();
    if ('measure' in w) results.push(...(await w.measure(frameworks, ctx)));
    else results.push(await runWorkload(w, frameworks, timing, ctx));
    process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const mode = quick
    ? `quick: ${timing.rounds} rounds of ~${timing.roundMs} ms`
    : `${timing.rounds} rounds of ~${timing.roundMs} ms, median`;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    formatTable(results, [
      `TensorFlow.js ${tfVersion()}; ${mode}; ${tapegradSetup()}.`,
      ...notes,
      `Load average (1 min) ${loadAtStart} at start, ${load()} at end, on ${os.cpus().length} CPUs (other processes skew the numbers); ` +
        `run took ${seconds.toFixed(0)} s.`,
    ]),
  );
  const file = fileURLToPath(new URL('./results.json', import.meta.url));
  writeResults(results, file, quick ? 'quick' : 'full');
  console.log(`\nWrote ${file}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
