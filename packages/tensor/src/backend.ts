// Kernel backend selection: WebAssembly SIMD ('wasm', the default where it loads) or pure TypeScript ('js'), and
// how many threads large float32 matrix products may use.
import { availableParallelism } from 'node:os';
import { wasmRuntime } from './kernels/wasm-runtime.js';

/** The kernel implementations to choose from: `'wasm'` (WebAssembly SIMD) or `'js'` (pure TypeScript). */
export type Backend = 'js' | 'wasm';

/** Every backend name, in the order error messages list them. */
export const BACKENDS: readonly Backend[] = ['js', 'wasm'];

/** Size thresholds of the wasm gemm, in multiply-adds (m·n·k); see gemm-wasm.ts for how they were measured. */
export interface GemmThresholds {
  /** Float32 products with fewer multiply-adds stay on the TypeScript kernel (staging costs more than it saves). */
  wasmMinWork: number;
  /** Products with at least this many multiply-adds are split between the two threads. */
  threadMinWork: number;
}

const DEFAULT_THRESHOLDS: Readonly<GemmThresholds> = { wasmMinWork: 1024, threadMinWork: 4_000_000 };

const env = typeof process !== 'undefined' ? process.env : {};
let requested: Backend = env.TAPEGRAD_BACKEND === 'js' ? 'js' : 'wasm';
let threads = env.TAPEGRAD_NUM_THREADS === '1' ? 1 : env.TAPEGRAD_NUM_THREADS === '2' ? 2 : defaultThreads();
const thresholds: GemmThresholds = { ...DEFAULT_THRESHOLDS };

function defaultThreads(): number {
  return availableParallelism() >= 2 ? 2 : 1;
}

/**
 * Chooses the kernels: `'wasm'` runs float32 matrix products (matmul, conv2d, dense layers) on the WebAssembly
 * SIMD gemm, `'js'` on the TypeScript one. Everything else, and float64, runs in TypeScript either way. When the
 * WebAssembly module cannot load (it is built by `pnpm install`), `'wasm'` warns once and falls back to `'js'`.
 * The environment variable `TAPEGRAD_BACKEND=js` sets the default.
 * @throws Error for any other name.
 * @example
 * ```ts
 * setBackend('js');   // the reference kernels
 * getBackend();       // 'js'
 * ```
 */
export function setBackend(name: Backend): void {
  if (!BACKENDS.includes(name)) {
    throw new Error(`setBackend: unknown backend ${JSON.stringify(name)}; valid backends are 'js' and 'wasm'`);
  }
  requested = name;
}

/** The backend in use: `'wasm'` when it was chosen (the default) and its module loaded, else `'js'`. */
export function getBackend(): Backend {
  return requested === 'wasm' && wasmRuntime() !== null ? 'wasm' : 'js';
}

/**
 * Sets how many threads large float32 matrix products may use on the wasm backend: 1, or 2 (the main thread
 * and one worker sharing the WebAssembly memory). The default is 2 when the machine has at least two cores
 * (`TAPEGRAD_NUM_THREADS=1` sets it to 1). The worker starts only when a product large enough needs it.
 * @throws Error for anything but 1 or 2.
 */
export function setNumThreads(n: number): void {
  if (n !== 1 && n !== 2) throw new Error(`setNumThreads: expected 1 or 2 threads, got ${n}`);
  threads = n;
}

/** How many threads large float32 matrix products may use (see {@link setNumThreads}). */
export function getNumThreads(): number {
  return threads;
}

/** The gemm size thresholds now in force (a copy). */
export function getGemmThresholds(): GemmThresholds {
  return { ...thresholds };
}

/**
 * Changes the gemm size thresholds (for tests and measurements) and returns the previous ones; with no
 * argument, restores the defaults.
 */
export function setGemmThresholds(next: Partial<GemmThresholds> = DEFAULT_THRESHOLDS): GemmThresholds {
  const previous = { ...thresholds };
  Object.assign(thresholds, next);
  return previous;
}

/** True when float32 products of `work` multiply-adds should run on the wasm gemm (internal, on the hot path). */
export function wasmGemmWanted(work: number): boolean {
  return requested === 'wasm' && work >= thresholds.wasmMinWork;
}

/** True when a product of `work` multiply-adds should use both threads (internal). */
export function threadsWanted(work: number): boolean {
  return threads === 2 && work >= thresholds.threadMinWork;
}
