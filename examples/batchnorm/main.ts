// The main demo (`pnpm demo`): what batch normalization does, in numbers and in pictures, on two circles and on real data.
//
// Run:  pnpm demo                  the full demo: 100 epochs on each data set (well under a minute)
//       pnpm demo:quick            5 epochs and fewer points, for CI (a few seconds)
//       pnpm demo --epochs 30      any number of epochs; --out DIR writes the plots elsewhere;
//                                  --verbose 0 prints only the tables (2: one line an epoch)
//
// Read it in this order: circles.ts (the seed model with and without BatchNormalization), breast-cancer.ts
// (raw inputs, a Normalization layer, BatchNormalization), experiment.ts (a timed fit), table.ts, plot.ts.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ExampleOptions, isMain, outputDir } from '../lib/example.js';
import { breastCancerExperiment } from './breast-cancer.js';
import { circlesExperiment } from './circles.js';
import type { Experiment, Output } from './experiment.js';
import { writeLearningCurves } from './plot.js';
import { resultTable } from './table.js';

/** The demo's options: the shared example options (quick, outDir, log) and the two below. */
export interface DemoOptions extends ExampleOptions {
  /** Epochs of every run; default 100 (5 with quick). */
  epochs?: number;
  /** fit's verbose: 1 (default) prints Keras's progress bars and each model's summary, 0 only the tables. */
  verbose?: 0 | 1 | 2;
}

/** What the demo produced, for tests. */
export interface DemoResult {
  experiments: Experiment[];
  /** Each experiment's table, as printed. */
  tables: string[][];
  /** The SVG files written. */
  files: string[];
}

/** The seed of everything random (data, initial weights, split, shuffling): the same numbers on every run. */
const SEED = 1;

/** Trains both experiments, prints their tables and writes their plots. */
export async function main(options: DemoOptions = {}): Promise<DemoResult> {
  const quick = options.quick ?? false;
  const epochs = options.epochs ?? (quick ? 5 : 100);
  const out: Output = { verbose: options.verbose ?? 1, log: options.log ?? console.log };
  const dir = outputDir(import.meta.url, options.outDir);

  const experiments = [
    await circlesExperiment({ nSamples: quick ? 300 : 1000, epochs, seed: SEED }, out),
    await breastCancerExperiment({ epochs, seed: SEED, hidden: 16 }, out),
  ];

  const tables = experiments.map(resultTable);
  const files: string[] = [];
  for (const [i, e] of experiments.entries()) {
    out.log('');
    tables[i].forEach((line) => out.log(line));
    files.push(await writeLearningCurves(e, dir));
  }
  out.log('');
  out.log(`Learning curves (open them in a browser): ${resolve(dir)}`);
  files.forEach((f) => out.log(`  ${f}`));
  return { experiments, tables, files };
}

/**
 * The command line: --quick, --epochs N, --out DIR, --verbose 0|1|2.
 * @throws Error naming the flag and what is valid.
 */
export function parseDemoArgs(argv: readonly string[]): DemoOptions {
  // `pnpm demo -- --epochs 3` hands the '--' through, which parseArgs would take as the end of the flags.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const { values } = parseArgs({
    args,
    options: { quick: { type: 'boolean' }, epochs: { type: 'string' }, out: { type: 'string' }, verbose: { type: 'string' } },
  });
  const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 1)) {
    throw new Error(`demo: --epochs must be a whole number of at least 1, got '${values.epochs}'`);
  }
  const verbose = values.verbose === undefined ? undefined : Number(values.verbose);
  if (verbose !== undefined && verbose !== 0 && verbose !== 1 && verbose !== 2) {
    throw new Error(`demo: --verbose must be 0, 1 or 2, got '${values.verbose}'`);
  }
  return { quick: values.quick, epochs, outDir: values.out, verbose: verbose as DemoOptions['verbose'] };
}

if (isMain(import.meta.url)) {
  let options: DemoOptions;
  try {
    options = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nUsage: pnpm demo [--quick] [--epochs N] [--out DIR] [--verbose 0|1|2]`);
    process.exit(2);
  }
  await main(options);
}
