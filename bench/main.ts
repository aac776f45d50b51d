// `pnpm bench [--quick] [workload ids...]`: runs the benchmarks side by side with TensorFlow.js and prints the table.
import { fileURLToPath } from 'node:url';
import { loadFrameworks, tfVersion } from './frameworks.js';
import { runWorkload, selectWorkloads, timingOptions } from './harness.js';
import { formatTable, writeResults } from './table.js';
import { workloads } from './workloads/index.js';

async function main(argv: readonly string[]): Promise<void> {
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '--quick' && a !== '--');
  if (unknown.length > 0) throw new Error(`bench: unknown option ${unknown.join(', ')}; usage: pnpm bench [--quick] [W3 W4 ...]`);
  const quick = argv.includes('--quick');
  const selected = selectWorkloads(workloads, argv.filter((a) => !a.startsWith('-')));
  const { frameworks, notes } = await loadFrameworks();
  const options = timingOptions(quick);
  const results = [];
  for (const w of selected) {
    process.stderr.write(`${w.id}: ${w.title} ... `);
    const t0 = performance.now();
    const result = await runWorkload(w, frameworks, options);
    results.push(result);
    process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const mode = quick
    ? `quick: ${options.rounds} rounds of ~${options.roundMs} ms`
    : `${options.rounds} rounds of ~${options.roundMs} ms, median`;
  console.log(formatTable(results, [`TensorFlow.js ${tfVersion()}; ${mode}; tapegrad is single-threaded.`, ...notes]));
  const file = fileURLToPath(new URL('./results.json', import.meta.url));
  writeResults(results, file);
  console.log(`\nWrote ${file}`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
