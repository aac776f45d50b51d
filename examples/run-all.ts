// Runs every example in one process, one after the other, and fails if any of them throws. CI runs it in quick mode.
//
// Run:  npx tsx examples/run-all.ts --quick    (pnpm examples:quick; about 10 s)
//       npx tsx examples/run-all.ts            (every example in its normal mode; about a minute)
import { type ExampleOptions, cliOptions } from './lib/example.js';

/** An example: its folder name and how to run it. Adding an example adds a line here. */
interface Entry {
  name: string;
  run: (options: ExampleOptions) => Promise<unknown>;
}

const EXAMPLES: Entry[] = [
  { name: 'hello', run: () => import('./hello/main.js') }, // runs when imported; it has no quick mode
  { name: 'batchnorm', run: async (o) => (await import('./batchnorm/main.js')).main(o) }, // the main demo (pnpm demo)
  { name: 'autograd-tour', run: async (o) => (await import('./autograd-tour/main.js')).main(o) },
  { name: 'custom-op', run: async (o) => (await import('./custom-op/main.js')).main(o) },
  { name: 'custom-layer', run: async (o) => (await import('./custom-layer/main.js')).main(o) },
  { name: 'digits', run: async (o) => (await import('./digits/main.js')).main(o) },
  { name: 'small-batch', run: async (o) => (await import('./small-batch/main.js')).main(o) },
];

async function runAll(options: ExampleOptions): Promise<void> {
  const failed: string[] = [];
  const times: string[] = [];
  for (const { name, run } of EXAMPLES) {
    console.log(`\n━━━ ${name}${options.quick ? ' (quick)' : ''} ━━━`);
    const start = performance.now();
    try {
      await run(options);
    } catch (e) {
      failed.push(name);
      console.error(`✗ ${name} failed:`, e);
    }
    times.push(`${name} ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
  console.log(`\n${EXAMPLES.length - failed.length} of ${EXAMPLES.length} examples ran: ${times.join(', ')}`);
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await runAll(cliOptions());
