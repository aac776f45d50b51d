// W5's child process: trains the W2 MLP for a number of steps in ONE framework and prints its resident memory
// (process.memoryUsage.rss) after every step as one JSON line. bench/workloads/memory.ts runs one child per framework,
// so each process holds only its own framework (the TensorFlow.js children never load tapegrad, the CPU child never
// loads the WASM backend).
//
// Run: npx tsx bench/memory-child.ts <tapegrad|tfjs_cpu|tfjs_wasm> <steps> [maxSeconds]   (from the repository root)
//
// tapegrad trains in a plain user loop, model.trainOnBatch(x.slice(...), y.slice(...)), with no dispose anywhere: the
// batches, activations, gradients and tapes are left to the garbage collector. TensorFlow.js trains inside
// model.fit (its tidy scopes free each step's tensors; user-level ops outside tidy would leak).
import { createRequire } from 'node:module';
import path from 'node:path';
import { mlpData } from './workloads/data.js';

/** What the child prints: RSS in bytes before training and after each step. */
export interface MemoryTrace {
  framework: string;
  mode: 'trainOnBatch loop' | 'fit';
  steps: number;
  seconds: number;
  before: number;
  rss: number[];
}

const BATCH = 128;
const BATCHES = 10; // the data: 1,280 samples, 10 batches, visited in turn

async function tapegradTrace(steps: number, maxSeconds: number): Promise<MemoryTrace> {
  const { tapegradData, tapegradMlp } = await import('./workloads/models-tapegrad.js');
  const model = tapegradMlp();
  const { x, y } = tapegradData(mlpData(BATCH * BATCHES));
  const rss: number[] = [];
  const before = process.memoryUsage.rss();
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    const b = s % BATCHES;
    model.trainOnBatch(x.slice([b * BATCH], [BATCH]), y.slice([b * BATCH], [BATCH]));
    rss.push(process.memoryUsage.rss());
    if (maxSeconds > 0 && performance.now() - t0 > maxSeconds * 1000) break;
  }
  return { framework: 'tapegrad', mode: 'trainOnBatch loop', steps: rss.length, seconds: (performance.now() - t0) / 1000, before, rss };
}

async function tfjsTrace(backend: 'cpu' | 'wasm', steps: number, maxSeconds: number): Promise<MemoryTrace> {
  const tf = await import('@tensorflow/tfjs-core');
  tf.enableProdMode();
  if (backend === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`memory-child: TensorFlow.js could not switch to ${backend}`);
  await tf.ready();
  const { tfjsData, tfjsMlp } = await import('./workloads/models-tfjs.js');
  const model = tfjsMlp();
  const { x, y } = tfjsData(mlpData(BATCH * BATCHES));
  const rss: number[] = [];
  const before = process.memoryUsage.rss();
  const t0 = performance.now();
  await model.fit(x, y, {
    batchSize: BATCH,
    epochs: Math.ceil(steps / BATCHES),
    shuffle: false,
    verbose: 0,
    yieldEvery: 'never',
    callbacks: {
      onBatchEnd: async () => {
        rss.push(process.memoryUsage.rss());
        if (rss.length >= steps || (maxSeconds > 0 && performance.now() - t0 > maxSeconds * 1000)) model.stopTraining = true;
      },
    },
  });
  return { framework: `tfjs_${backend}`, mode: 'fit', steps: rss.length, seconds: (performance.now() - t0) / 1000, before, rss };
}

async function main(argv: readonly string[]): Promise<void> {
  const [framework, stepsArg, secondsArg = '0'] = argv;
  const steps = Number(stepsArg);
  const maxSeconds = Number(secondsArg);
  if (!(Number.isInteger(steps) && steps > 0) || !(maxSeconds >= 0)) {
    throw new Error('usage: tsx bench/memory-child.ts <tapegrad|tfjs_cpu|tfjs_wasm> <steps> [maxSeconds]');
  }
  let trace: MemoryTrace;
  if (framework === 'tapegrad') trace = await tapegradTrace(steps, maxSeconds);
  else if (framework === 'tfjs_cpu') trace = await tfjsTrace('cpu', steps, maxSeconds);
  else if (framework === 'tfjs_wasm') trace = await tfjsTrace('wasm', steps, maxSeconds);
  else throw new Error(`memory-child: unknown framework ${framework}; use tapegrad, tfjs_cpu or tfjs_wasm`);
  process.stdout.write(`${JSON.stringify(trace)}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
