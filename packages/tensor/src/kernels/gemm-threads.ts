// Running a product staged in the WebAssembly memory: on the main thread alone, or with the worker claiming
// row blocks of C alongside it.
//
// Both threads call the same wasm `gemm` with the same operands, their own packing scratch and one shared counter
// per column slab, from which each claims blocks of `mb` rows with an atomic add until none are left: a thread
// that runs faster, or starts sooner, computes more of C, and when the other core is busy (a shared machine)
// the main thread simply does most of the work instead of waiting for a half it handed out. The job is posted
// through the control block (CTL in wasm-runtime.ts): arguments, ctl[job], ctl[state] = 0, then ctl[seq] and one
// Atomics.notify. The worker joins by moving ctl[state] from 0 to 1; when the main thread has claimed every block
// and finds the job still unjoined, it closes it (0 → 2) and returns without waiting for the worker at all.
import { threadsWanted } from '../backend.js';
import { CTL, type WasmRuntime, abandonHelper, helperReady } from './wasm-runtime.js';

/** Bytes of packed op(B) one thread may hold: deeper products run as slices of k, accumulating. */
const SCRATCH_LIMIT = 16 << 20;
const SPIN = 20000; // Atomics.load polls (~12 ns each) before the main thread sleeps waiting for the worker
const WAIT_LIMIT_MS = 120_000; // a worker silent this long is declared broken

const align64 = (bytes: number): number => (bytes + 63) & ~63;

let joined = 0;
/**
 * Multiplies the thread threshold while the worker keeps coming late (its core busy with another process: then
 * a block it claimed can sit out a whole scheduler time slice): doubled after a product the worker did not join
 * or made the main thread wait for more than a quarter of its own time, halved after one where it kept pace,
 * and halving by itself every PENALTY_HALF_LIFE_MS, so that threads come back once the core is free.
 */
let penalty = 1;
let penaltyAt = 0;
const PENALTY_HALF_LIFE_MS = 250;

function currentPenalty(now: number): number {
  return penalty === 1 ? 1 : Math.max(1, penalty * 2 ** (-(now - penaltyAt) / PENALTY_HALF_LIFE_MS));
}

/** How many products the worker has taken part in so far (for tests). */
export function helperJoins(): number {
  return joined;
}

/** The deepest slice of k a product of width n runs in (a multiple of 256). */
function depthLimit(rt: WasmRuntime, n: number): number {
  const width = Math.min(rt.slabWidth, Math.ceil(n / 8) * 8);
  return Math.max(256, Math.floor(SCRATCH_LIMIT / (4 * width) / 256) * 256);
}

/** Bytes `multiplyStaged` needs at its `scratchAt` for a product of depth k and width n (both threads' share). */
export function scratchBytes(rt: WasmRuntime, k: number, n: number): number {
  const slabs = Math.ceil(n / rt.slabWidth);
  return 64 + align64(4 * slabs) + 2 * align64(rt.exports.workBytes(Math.min(k, depthLimit(rt, n)), n));
}

/**
 * C = op(A)·op(B) (or C += when `accumulate`) on operands already in the wasm memory (byte addresses, leading
 * dimensions in elements), using `scratchBytes(rt, k, n)` bytes at `scratchAt`: on both threads when the product
 * is large enough, has rows enough to share and the worker is up, else on this one.
 */
export function multiplyStaged(
  rt: WasmRuntime, transA: boolean, transB: boolean, m: number, n: number, k: number,
  aP: number, lda: number, bP: number, ldb: number, cP: number, ldc: number, accumulate: boolean, scratchAt: number,
): void {
  const depth = depthLimit(rt, n);
  for (let p0 = 0; p0 < k; p0 += depth) {
    const a = aP + 4 * p0 * (transA ? lda : 1);
    const b = bP + 4 * p0 * (transB ? 1 : ldb);
    const args = [transA ? 1 : 0, transB ? 1 : 0, m, n, Math.min(depth, k - p0), a, lda, b, ldb, cP, ldc, accumulate || p0 > 0 ? 1 : 0];
    runSlice(rt, args, scratchAt);
  }
}

/** One product (gemm's first 12 arguments), with its counters and scratch at `scratchAt`. */
function runSlice(rt: WasmRuntime, args: number[], scratchAt: number): void {
  const [tA, tB, m, n, k, aP, lda, bP, ldb, cP, ldc, acc] = args;
  const slabs = Math.ceil(n / rt.slabWidth);
  const counters = align64(scratchAt);
  const work0 = counters + align64(4 * slabs);
  const work1 = work0 + align64(rt.exports.workBytes(k, n));
  rt.exports.zero(counters, 4 * slabs);
  const now = performance.now();
  const p = currentPenalty(now);
  if (!(threadsWanted((m * n * k) / p) && m >= 2 * rt.tileRows && helperReady(rt))) {
    rt.exports.gemm(tA, tB, m, n, k, aP, lda, bP, ldb, cP, ldc, acc, work0, rt.blockRows, counters);
    return;
  }
  // About eight blocks of rows, so that claiming balances the two threads.
  const mb = Math.min(rt.blockRows, Math.ceil(m / 8 / rt.tileRows) * rt.tileRows);
  const ctl = rt.ctl;
  const job = (Atomics.load(ctl, CTL.seq) + 1) | 0;
  const theirs = [...args, work1, mb, counters];
  for (let i = 0; i < theirs.length; i++) ctl[CTL.args + i] = theirs[i];
  ctl[CTL.job] = job;
  Atomics.store(ctl, CTL.state, 0); // publishes the arguments to a worker that joins
  Atomics.store(ctl, CTL.seq, job);
  Atomics.notify(ctl, CTL.seq);
  const t0 = now;
  rt.exports.gemm(tA, tB, m, n, k, aP, lda, bP, ldb, cP, ldc, acc, work0, mb, counters);
  const t1 = performance.now();
  let late = true;
  if (Atomics.compareExchange(ctl, CTL.state, 0, 2) !== 0) {
    joined++;
    waitForHelper(ctl, job);
    late = performance.now() - t1 > 0.25 * (t1 - t0);
  }
  penalty = late ? Math.min(64, p * 2) : Math.max(1, p / 2);
  penaltyAt = t1;
}

/** Waits (spinning briefly, then sleeping) until the worker reports job `job` done; throws if it failed. */
function waitForHelper(ctl: Int32Array, job: number): void {
  let done = Atomics.load(ctl, CTL.done);
  for (let i = 0; done !== job && i < SPIN; i++) done = Atomics.load(ctl, CTL.done);
  const start = performance.now();
  while (done !== job) {
    if (performance.now() - start > WAIT_LIMIT_MS) {
      abandonHelper(`the gemm worker did not answer in ${WAIT_LIMIT_MS / 1000} s`);
      throw new Error('gemm: the worker thread did not finish its share of the product');
    }
    Atomics.wait(ctl, CTL.done, done, 1000);
    done = Atomics.load(ctl, CTL.done);
  }
  if (Atomics.load(ctl, CTL.status) !== 0) {
    abandonHelper('the gemm worker failed (see its message above)');
    throw new Error('gemm: the worker thread failed on its share of the product');
  }
}
