// W3: float32 matrix products in GFLOP/s, square n×n·n×n, and A·Bᵀ (the product backward passes need); tapegrad
// with its default threads (two for large products), on one thread in the rows marked so, and with its pure
// TypeScript kernels (the 'js' backend) in the rows marked TypeScript (no TensorFlow.js runners in those extra
// rows: its WASM backend runs one thread here anyway, see the notes).
import { getBackend, getNumThreads, kernels, randomUniform, setBackend, setNumThreads, tensor } from '@tapegrad/tensor';
import { tf } from '../frameworks.js';
import type { Runner, Workload } from '../harness.js';

/** The same float32 values for every framework: uniform in [-1, 1), seeded. */
const values = (n: number, seed: number): Float32Array =>
  randomUniform([n, n], { seed, minval: -1, maxval: 1 }).data as Float32Array;

/** A TensorFlow.js runner (for whichever backend is active when it is set up). */
function tfjsRunner(n: number, transposeB: boolean): Runner {
  return () => {
    const a = tf.tensor2d(values(n, 1), [n, n]);
    const b = tf.tensor2d(values(n, 2), [n, n]);
    const run = (): void => {
      const c = tf.matMul(a, b, false, transposeB);
      c.dataSync(); // the CPU and WASM kernels are synchronous; this reads the result out like tapegrad has it
      c.dispose();
    };
    return Object.assign(run, { dispose: () => tf.dispose([a, b]) });
  };
}

/** How tapegrad runs a W3 row: its defaults, its wasm kernels on one thread, or its TypeScript kernels. */
type Variant = 'default' | '1 thread' | 'TypeScript';

function matmulWorkload(n: number, transposeB: boolean, variant: Variant = 'default'): Workload {
  const flops = 2 * n * n * n;
  const tapegrad = (): (() => unknown) => {
    const a = tensor(values(n, 1), [n, n]);
    const b = tensor(values(n, 2), [n, n]);
    if (variant === 'default') return () => kernels.matmul(a, b, { transposeB });
    return () => {
      const threads = getNumThreads();
      const backend = getBackend();
      if (variant === '1 thread') setNumThreads(1);
      else setBackend('js');
      kernels.matmul(a, b, { transposeB });
      setNumThreads(threads);
      setBackend(backend);
    };
  };
  const suffix = variant === 'default' ? '' : ` ${variant}`;
  const how = variant === '1 thread' ? ', tapegrad on one thread' : variant === 'TypeScript' ? ', tapegrad TypeScript kernels' : '';
  return {
    id: `${transposeB ? 'W3t' : 'W3'} n=${n}${suffix}`,
    title: `float32 matmul [${n}, ${n}] · [${n}, ${n}]${transposeB ? 'ᵀ' : ''}${how}`,
    unit: 'GFLOP/s',
    higherIsBetter: true,
    value: (seconds) => flops / seconds / 1e9,
    runners: variant !== 'default' ? { tapegrad } : { tapegrad, tfjs_cpu: tfjsRunner(n, transposeB), tfjs_wasm: tfjsRunner(n, transposeB) },
  };
}

/** The W3 rows: n = 128, 512, 1024, and A·Bᵀ at n = 512; then the same on one thread, then n = 512 with the
 * TypeScript kernels (tapegrad only). */
export const matmulWorkloads: Workload[] = [
  matmulWorkload(128, false),
  matmulWorkload(512, false),
  matmulWorkload(1024, false),
  matmulWorkload(512, true),
  matmulWorkload(128, false, '1 thread'),
  matmulWorkload(512, false, '1 thread'),
  matmulWorkload(1024, false, '1 thread'),
  matmulWorkload(512, true, '1 thread'),
  matmulWorkload(512, false, 'TypeScript'),
  matmulWorkload(512, true, 'TypeScript'),
];
