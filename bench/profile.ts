// CPU profiles of tapegrad on the bench's training workloads, and their top self-time functions.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof/w2 --import tsx bench/profile.ts run W2 [seconds]   (from the repo root)
//   npx tsx bench/profile.ts top /tmp/prof/w2 [count]
//
// `run` trains the W1, W2 or W6 model (the same as the bench's, tapegrad only) for about `seconds` (default 10) after
// a warm-up, so the profile is mostly steady-state training. `top` reads the largest .cpuprofile in a directory (the
// main thread's; tsx's loader thread writes a small one beside it) and prints self time by function and by file.
// (Node 20 refuses --cpu-prof in NODE_OPTIONS, hence the node command line above.)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Sequential, type Tensor, makeCircles } from 'tapegrad';
import { imageData, mlpData } from './workloads/data.js';
import { tapegradConvnet, tapegradData, tapegradMlp, tapegradSeedModel } from './workloads/models-tapegrad.js';

/** A tapegrad model, its data and fit options, and what one epoch counts as. */
interface Setup {
  model: Sequential;
  data: { x: Tensor; y: Tensor };
  fit: { batchSize: number; validationSplit?: number };
  unit: string;
  perEpoch: number;
}

function setup(workload: string): Setup {
  switch (workload) {
    case 'W1':
      return {
        model: tapegradSeedModel(),
        data: makeCircles({ nSamples: 1000, noise: 0.1, seed: 3 }),
        fit: { batchSize: 32, validationSplit: 0.3 },
        unit: 'epochs',
        perEpoch: 1,
      };
    case 'W2':
      return { model: tapegradMlp(), data: tapegradData(mlpData(1280)), fit: { batchSize: 128 }, unit: 'steps', perEpoch: 10 };
    case 'W6':
      return { model: tapegradConvnet(), data: tapegradData(imageData(640)), fit: { batchSize: 64 }, unit: 'samples', perEpoch: 640 };
    default:
      throw new Error(`profile: unknown workload ${workload}; use W1, W2 or W6`);
  }
}

async function run(workload: string, seconds: number): Promise<void> {
  const { model, data, fit, unit, perEpoch } = setup(workload);
  const epoch = () => model.fit(data.x, data.y, { ...fit, epochs: 1, verbose: 0 });
  const warm = performance.now();
  while (performance.now() - warm < 1000) await epoch();
  let epochs = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await epoch();
    epochs++;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`${workload}: ${((epochs * perEpoch) / s).toFixed(1)} ${unit}/s over ${s.toFixed(1)} s`);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

function top(dir: string, count: number): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
  if (files.length === 0) throw new Error(`profile: no .cpuprofile in ${dir}`);
  const file = files.reduce((a, b) => (statSync(a).size >= statSync(b).size ? a : b));
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const cf = byId.get(id)!;
    const where = cf.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '') || cf.functionName;
    const key = `${cf.functionName || '(anonymous)'}  ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + dt);
    byFile.set(where, (byFile.get(where) ?? 0) + dt);
    total += dt;
  });
  const print = (title: string, m: Map<string, number>): void => {
    console.log(title);
    for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      console.log(`${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`);
    }
  };
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
  print('self time by function:', byFunction);
  print('self time by file:', byFile);
}

const [command, arg, extra] = process.argv.slice(2);
if (command === 'run') await run(arg, Number(extra ?? 10));
else if (command === 'top') top(arg, Number(extra ?? 15));
else throw new Error('usage: node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/profile.ts run W1|W2|W6 [seconds]; tsx bench/profile.ts top DIR [count]');
