// Shared plumbing of the examples: the options every main() takes, the --quick flag, and where outputs go.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What every example's `main(options)` accepts, so that a test or run-all.ts can call it without spawning. */
export interface ExampleOptions {
  /** A short run of a few seconds: fewer samples and epochs (the `--quick` flag). */
  quick?: boolean;
  /** Where files are written; default the example's own `out/` folder (git-ignored). */
  outDir?: string;
  /** Where the printout goes; default console.log. Tests pass a function that collects the lines. */
  log?: (line: string) => void;
}

/** Options from the command line: `npx tsx examples/digits/main.ts --quick`. */
export function cliOptions(argv: readonly string[] = process.argv.slice(2)): ExampleOptions {
  return { quick: argv.includes('--quick') };
}

/**
 * Whether the module at `moduleUrl` is the script Node was started with (`tsx examples/x/main.ts`),
 * rather than imported by a test: the examples run their main() only then.
 */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && resolve(script) === fileURLToPath(moduleUrl);
}

/** The output folder: `options.outDir`, else `out/` beside the example's main.ts. Created if missing. */
export function outputDir(moduleUrl: string, outDir?: string): string {
  const dir = outDir ?? fileURLToPath(new URL('./out/', moduleUrl));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs `fn` and returns its result with the wall-clock seconds it took. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = performance.now();
  const result = await fn();
  return { result, seconds: (performance.now() - start) / 1000 };
}
