// The WebAssembly side of the kernels: the compiled module, its shared memory, and the one helper thread.
//
// packages/tensor/wasm/kernels.wasm (built from packages/tensor/assembly/ by scripts/build-wasm.mjs on install) is
// loaded synchronously on first use, into a WebAssembly.Memory with `shared: true` that the main thread and a
// worker both instantiate the module on. Memory layout (bytes): a control block of Int32 slots at 0 (the
// worker's job and handshake) and conv2d's geometry, then from `operandsBase()` the operands staged by
// gemm-wasm.ts and conv2d-wasm.ts, followed by the threads' packing scratch. The memory grows on demand (a
// shared memory grows in place: nothing is detached) and never shrinks. No ArrayBuffer is ever transferred (V8
// makes every typed-array load slower once one is, see gemm.ts): the worker gets the module and the shared memory
// through `workerData`, which shares them, and the two threads meet through Atomics.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { WORKER_SOURCE } from './gemm-worker.js';

/** The parts of the WebAssembly JS API used here (the ES2022 library this project compiles against has no types for it). */
interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** WebAssembly pages (64 KiB): the module declares memory of 1 .. MAX_PAGES pages (see scripts/build-wasm.mjs). */
const PAGE = 65536;
const MAX_PAGES = 32768;
/** The largest memory the module can have. */
const MAX_BYTES = MAX_PAGES * PAGE;
let memoryLimit = MAX_BYTES;

/** The most memory gemm-wasm.ts may use: products needing more are split into parts that fit. */
export function memoryLimitBytes(): number {
  return memoryLimit;
}

/** Lowers (for tests) or restores (no argument) the memory limit; returns the previous one. */
export function setMemoryLimitBytes(bytes = MAX_BYTES): number {
  const previous = memoryLimit;
  memoryLimit = Math.min(bytes, MAX_BYTES);
  return previous;
}

/** Int32 slots of the control block at address 0. */
export const CTL = {
  /** Incremented by the main thread to post a job. */
  seq: 0,
  /** Set by the worker to the job's seq once it is done (or skipped). */
  done: 1,
  /** 0 when the job ran, 1 when it threw (the message goes to the worker's stderr). */
  status: 2,
  /** Set to 1 by the worker once it is instantiated and waiting. */
  ready: 3,
  /** The job's state: 0 posted, 1 the worker joined it, 2 closed by the main thread before the worker came. */
  state: 4,
  /** The seq of the job whose arguments follow. */
  job: 5,
  /** The 15 arguments of the job's `gemm` call. */
  args: 6,
  length: 32,
} as const;

/** Byte address of conv2d's geometry (13 Int32, see packages/tensor/assembly/im2col.ts), after the control block. */
export const GEOMETRY = 4 * CTL.length;

const OPERANDS_BASE = PAGE; // below: the control block and conv2d's geometry

/** The exports of kernels.wasm (packages/tensor/assembly/index.ts). */
interface KernelExports {
  gemm(
    transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number,
    c: number, ldc: number, accumulate: number, work: number, mb: number, counter: number,
  ): void;
  blocking(which: number): number;
  workBytes(k: number, n: number): number;
  patches(geom: number, x: number, r0: number, r1: number, cols: number, scatter: number): void;
  zero(dst: number, bytes: number): void;
}

/** The loaded module on this thread, with views of its memory. */
export interface WasmRuntime {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly exports: KernelExports;
  /** The whole memory as float32 (re-created by `reserve` after growth). */
  heap: Float32Array;
  /** The control block. */
  readonly ctl: Int32Array;
  /** conv2d's geometry (at GEOMETRY). */
  readonly geometry: Int32Array;
  /** The gemm's register-tile rows (MR), largest row block (MC) and column slab (NC). */
  readonly tileRows: number;
  readonly blockRows: number;
  readonly slabWidth: number;
}

let runtime: WasmRuntime | null | undefined; // undefined: not tried yet; null: unavailable
let failure = '';

/** The WebAssembly runtime, loading it on first use; null (after one warning) when the module cannot load. */
export function wasmRuntime(): WasmRuntime | null {
  if (runtime !== undefined) return runtime;
  try {
    runtime = load();
  } catch (e) {
    runtime = null;
    failure = (e as Error).message;
    process.emitWarning(
      `tapegrad: the WebAssembly kernels could not be loaded (${failure}); using the TypeScript kernels. ` +
        'Run `pnpm build:wasm` (or `pnpm install`) to build packages/tensor/wasm/kernels.wasm.',
      { code: 'TAPEGRAD_NO_WASM' },
    );
  }
  return runtime;
}

/** Why the runtime is unavailable ('' when it loaded or was not tried). */
export function wasmFailure(): string {
  return failure;
}

function instantiate(module: WasmModule, memory: WasmMemory): KernelExports {
  const abort = (): never => {
    throw new Error('kernels.wasm aborted');
  };
  return new WebAssembly.Instance(module, { env: { memory, abort } }).exports as unknown as KernelExports;
}

function load(): WasmRuntime {
  const bytes = readFileSync(new URL('../../wasm/kernels.wasm', import.meta.url));
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 1 + 64, maximum: MAX_PAGES, shared: true }); // + 4 MiB to start
  const exports = instantiate(module, memory);
  return {
    module,
    memory,
    exports,
    heap: new Float32Array(memory.buffer),
    ctl: new Int32Array(memory.buffer, 0, CTL.length),
    geometry: new Int32Array(memory.buffer, GEOMETRY, 13),
    tileRows: exports.blocking(0),
    blockRows: exports.blocking(1),
    slabWidth: exports.blocking(2),
  };
}

/** Byte address where staged operands start (16-byte aligned). */
export function operandsBase(): number {
  return OPERANDS_BASE;
}

/** Grows the memory (by at least a quarter, to grow rarely) so that it holds `bytes` bytes; refreshes `heap`. */
export function reserve(rt: WasmRuntime, bytes: number): void {
  const have = rt.memory.buffer.byteLength;
  if (bytes > have) {
    const want = Math.min(MAX_BYTES, Math.max(bytes, Math.ceil(have * 1.25)));
    rt.memory.grow(Math.ceil((want - have) / PAGE));
  }
  if (rt.heap.length * 4 !== rt.memory.buffer.byteLength) rt.heap = new Float32Array(rt.memory.buffer);
}

// ---- the helper thread --------------------------------------------------------------------------------------

let worker: Worker | null = null;
let workerBroken = false;

/**
 * True when the helper thread is up and waiting for jobs. The first call starts it (never before a product
 * needs it) and waits up to 5 s for it to instantiate the module; it is unref'd, so it never keeps the
 * process alive.
 */
export function helperReady(rt: WasmRuntime): boolean {
  if (workerBroken) return false;
  if (Atomics.load(rt.ctl, CTL.ready) === 1) return true;
  if (worker === null) {
    const seq = Atomics.load(rt.ctl, CTL.seq);
    Atomics.store(rt.ctl, CTL.done, seq);
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: rt.module, memory: rt.memory, ctlLength: CTL.length, seq },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    worker.on('error', (e) => markBroken(`the gemm worker failed: ${e.message}`));
    worker.on('exit', () => {
      if (!workerBroken) markBroken('the gemm worker exited');
    });
    Atomics.wait(rt.ctl, CTL.ready, 0, 5000);
  }
  return Atomics.load(rt.ctl, CTL.ready) === 1;
}

function markBroken(why: string): void {
  workerBroken = true;
  worker = null;
  process.emitWarning(`tapegrad: ${why}; matrix products use one thread from now on`, { code: 'TAPEGRAD_WORKER' });
}

/** Declares the helper thread unusable (after a job failed or timed out). */
export function abandonHelper(why: string): void {
  const w = worker;
  markBroken(why);
  void w?.terminate();
}
