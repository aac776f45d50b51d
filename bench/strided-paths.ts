// Which path should strided elementwise work take: scijs ndarray-ops, or tapegrad's own row walker?
// Run: pnpm tsx bench/strided-paths.ts   (prints µs per call, median of rounds, for each case and path)
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { type Tensor, kernels, randomNormal } from '@tapegrad/tensor';
import { forEachRow } from '../packages/tensor/src/kernels/iterate.js';

/** A contiguous copy made by tapegrad's row walker (the engine of its elementwise kernels). */
function rowWalkerCopy(x: Tensor): Float32Array {
  const o = new Float32Array(x.size);
  const d = x.data;
  forEachRow(x.shape, [x], (start, n, s, st) => {
    for (let i = 0, j = s[0]; i < n; i++, j += st[0]) o[start + i] = d[j];
  });
  return o;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** µs per call: warm up, then 7 rounds of ~100 ms, median. */
function time(f: () => unknown): number {
  for (let i = 0; i < 50; i++) f();
  let n = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) f();
    if (performance.now() - t > 100) break;
    n *= 2;
  }
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) f();
    rounds.push(((performance.now() - t) / n) * 1000);
  }
  return median(rounds);
}

const nd = (t: Tensor) => ndarray(t.data, t.shape.slice(), t.strides.slice(), t.offset);
const out = (shape: number[]) => ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);

const cases: { name: string; ours: () => unknown; scijs: () => unknown }[] = [];
for (const n of [64, 512]) {
  const a = randomNormal([n, n], { seed: 1 });
  const b = randomNormal([n, n], { seed: 2 });
  const at = kernels.transpose(a);
  cases.push({
    name: `copy of a transposed [${n}, ${n}] view`,
    ours: () => rowWalkerCopy(at),
    scijs: () => ops.assign(out([n, n]), nd(at)),
  });
  cases.push({
    name: `add: transposed [${n}, ${n}] + contiguous`,
    ours: () => kernels.add(at, b),
    scijs: () => ops.add(out([n, n]), nd(at), nd(b)),
  });
  const row = randomNormal([n], { seed: 3 });
  cases.push({
    name: `add: [${n}, ${n}] + row [${n}] (broadcast)`,
    ours: () => kernels.add(a, row),
    scijs: () => ops.add(out([n, n]), nd(a), nd(kernels.broadcastTo(row, [n, n]))),
  });
  cases.push({
    name: `exp of a transposed [${n}, ${n}] view`,
    ours: () => kernels.exp(at),
    scijs: () => ops.exp(out([n, n]), nd(at)),
  });
}
const randomSmall = [randomNormal([32, 50], { seed: 4 }), randomNormal([32, 50], { seed: 5 })];
cases.push({
  name: 'add: [32, 50] + [32, 50] (contiguous)',
  ours: () => kernels.add(randomSmall[0], randomSmall[1]),
  scijs: () => ops.add(out([32, 50]), nd(randomSmall[0]), nd(randomSmall[1])),
});

console.log('case'.padEnd(44), 'tapegrad µs'.padStart(12), 'ndarray-ops µs'.padStart(15), '  faster');
for (const c of cases) {
  const ours = time(c.ours);
  const theirs = time(c.scijs);
  console.log(c.name.padEnd(44), ours.toFixed(1).padStart(12), theirs.toFixed(1).padStart(15), '  ', ours <= theirs ? 'tapegrad' : 'ndarray-ops');
}
