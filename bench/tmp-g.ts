import { gemm } from '../packages/tensor/src/kernels/gemm.js';
for (const n of [128, 512, 1024]) {
  const a = new Float32Array(n * n).map(() => Math.random() - 0.5), b = new Float32Array(n * n).map(() => Math.random() - 0.5), c = new Float32Array(n * n);
  const row: string[] = [];
  for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
    const reps = Math.max(1, Math.round(4e8 / (2 * n ** 3)));
    gemm(tA, tB, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
    let bw = Infinity, bc = Infinity;
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now(), u0 = process.cpuUsage();
      for (let q = 0; q < reps; q++) gemm(tA, tB, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
      const u = process.cpuUsage(u0);
      bw = Math.min(bw, (performance.now() - t0) / reps); bc = Math.min(bc, (u.user + u.system) / 1000 / reps);
    }
    row.push(`${(2 * n ** 3 / bw / 1e6).toFixed(2)}/${(2 * n ** 3 / bc / 1e6).toFixed(2)}`);
  }
  console.log(`n=${n} NN NT TN TT (wall/cpu GFLOP/s): ${row.join('  ')}`);
}
