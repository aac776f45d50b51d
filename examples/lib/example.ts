// Shared plumbing of the examples: the options every main() takes, the --quick flag, and where outputs go.
import { mkdirSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Callback, type Logs } from 'tapegrad';

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

/** A path as printed: relative to the current folder when it lies inside it (shorter, and copy-pasteable). */
export function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * A callback that prints one line per epoch through `log`: the epoch, then every number fit reports
 * (loss, accuracy, val_loss, val_accuracy, ...). Use it with `verbose: 0` to replace the progress bar.
 */
export class EpochPrinter extends Callback {
  constructor(private readonly log: (line: string) => void, private readonly every = 1) {
    super();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const last = epoch + 1 === this.params.epochs;
    if ((epoch + 1) % this.every !== 0 && !last) return;
    const numbers = Object.entries(logs).map(([name, value]) => `${name} ${value.toFixed(4)}`);
    this.log(`  epoch ${String(epoch + 1).padStart(String(this.params.epochs).length)}/${this.params.epochs}  ${numbers.join('  ')}`);
  }
}
