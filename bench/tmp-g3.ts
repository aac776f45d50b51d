import { createRequire } from 'node:module';
import { gemm } from '../packages/tensor/src/kernels/gemm.js';
const require = createRequire('/work/main/packages/tensor/src/strided.ts');
if (process.argv[2] === 'ops') require('ndarray-ops');
const n = 512;
const ra = new Float32Array(n * n).map(() => Math.random()), rb = new Float32Array(n * n).map(() => Math.random());
const c = new Float32Array(n * n);
const v: number[] = [];
for (let r = 0; r < 6; r++) { const t0 = performance.now(); for (let q = 0; q < 3; q++) gemm(false, false, n, n, n, ra, 0, n, rb, 0, n, c, 0, n, false); v.push(2 * n ** 3 / ((performance.now() - t0) / 3) / 1e6); }
console.log(process.argv[2], v.map((x) => x.toFixed(2)).join(' '));
