// The WebAssembly side of the kernels: the compiled module, its shared memory, and the one helper thread.
//
// packages/tensor/wasm/gemm.wasm (built from packages/tensor/assembly/ by scripts/build-wasm.mjs on install) is
// loaded synchronously on first use, into a WebAssembly.Memory with `shared: true` that the main thread and a
// worker both instantiate the module on. Memory layout (bytes): a control block of Int32 slots at 0 (the
// worker's job and handshake), each thread's packing scratch from SCRATCH_BASE, then the operands staged by
// gemm-wasm.ts from `operandsBase()`. The memory grows on demand and never shrinks. No ArrayBuffer is ever
// transferred (V8 makes every typed-array load slower once one is, see gemm.ts): the worker gets the module and
// the shared memory through `workerData`, which shares them, and the two threads meet through Atomics.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { WORKER_SOURCE } from './gemm-worker.js';

/** WebAssembly pages (64 KiB): the module declares memory of 1 .. MAX_PAGES pages (see scripts/build-wasm.mjs). */
const PAGE = 65536;
const MAX_PAGES = 32768;
/** The largest memory this runtime uses (products needing more are split by the caller). */
export const MAX_BYTES = MAX_PAGES * PAGE;

/** Int32 slots of the control block at address 0. */
export const CTL = {
  /** Incremented by the main thread to post a job. */
  seq: 0,
  /** Set by the worker to the job's seq once it is done. */
  done: 1,
  /** 0 when the job ran, 1 when it threw (the message goes to the worker's stderr). */
  status: 2,
  /** Set to 1 by the worker once it is instantiated and waiting. */
  ready: 3,
  /** The 13 arguments of the job's `gemm` call. */
  args: 4,
  length: 32,
} as const;

const SCRATCH_BASE = PAGE; // below: the control block

/** The exports of gemm.wasm. */
interface GemmExports {
  gemm(
    transA: number, transB: number, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: number, work: number,
  ): void;
  workBytes(): number;
}

/** The loaded module on this thread, with views of its memory. */
export interface WasmRuntime {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly exports: GemmExports;
  /** The whole memory as float32 (re-created by `reserve` after growth). */
  heap: Float32Array;
  /** The control block. */
  readonly ctl: Int32Array;
  /** Scratch bytes of one thread's gemm. */
  readonly workBytes: number;
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
        'Run `pnpm build:wasm` (or `pnpm install`) to build packages/tensor/wasm/gemm.wasm.',
      { code: 'TAPEGRAD_NO_WASM' },
    );
  }
  return runtime;
}

/** Why the runtime is unavailable ('' when it loaded or was not tried). */
export function wasmFailure(): string {
  return failure;
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): GemmExports {
  const abort = (): never => {
    throw new Error('gemm.wasm aborted');
  };
  return new WebAssembly.Instance(module, { env: { memory, abort } }).exports as unknown as GemmExports;
}

function load(): WasmRuntime {
  const bytes = readFileSync(new URL('../../wasm/gemm.wasm', import.meta.url));
  const module = new WebAssembly.Module(bytes);
  const exports = instantiate(module, new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }));
  const workBytes = exports.workBytes();
  const initial = Math.ceil((SCRATCH_BASE + 2 * workBytes) / PAGE) + 16; // two threads' scratch + 1 MiB of operands
  const memory = new WebAssembly.Memory({ initial, maximum: MAX_PAGES, shared: true });
  const own = instantiate(module, memory);
  return {
    module,
    memory,
    exports: own,
    heap: new Float32Array(memory.buffer),
    ctl: new Int32Array(memory.buffer, 0, CTL.length),
    workBytes,
  };
}

/** Byte address of thread `t`'s (0: main, 1: worker) packing scratch. */
export function scratch(rt: WasmRuntime, t: number): number {
  return SCRATCH_BASE + t * rt.workBytes;
}

/** Byte address where staged operands start (16-byte aligned). */
export function operandsBase(rt: WasmRuntime): number {
  return SCRATCH_BASE + 2 * rt.workBytes;
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
      workerData: { module: rt.module, memory: rt.memory, ctlLength: CTL.length, seq, scratch: scratch(rt, 1) },
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
