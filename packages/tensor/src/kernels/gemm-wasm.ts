// The float32 gemm on WebAssembly SIMD: operands staged into the module's shared memory, the product split
// between the main thread and one worker when it is large.
//
// Design. The kernel (packages/tensor/assembly/gemm.ts, AssemblyScript) is GotoBLAS-shaped: KC = 256-deep slices
// of op(B) packed into 8-column panels, blocks of at most 128 rows of op(A) into 4-row panels, and a 4×8 register
// tile of eight f32x4 accumulators (plain SIMD128 has no fused multiply-add: each step is a mul and an add).
// Packing absorbs transposes, so NN, NT, TN and TT run the same micro-kernel. This file stages the operands:
// each is copied with TypedArray.set (a memcpy) into the wasm memory in its stored layout, the kernel packs from
// there with SIMD loads and 4×4 shuffles, and C is computed in the wasm memory and copied out. Measured, 512×512
// into a SharedArrayBuffer view: TypedArray.set 48–62 µs (337 µs when source and target differ in 8-byte
// alignment, so staged operands keep their source's alignment); packing 4-row panels straight from the JS array
// in a JS loop 279 µs (377 µs once any ArrayBuffer has been transferred in the process, as under tsx). So the
// copy is not the packing: copying first and packing in wasm is kept.
//
// Large products run on two threads (gemm-threads.ts): the worker (gemm-worker.ts) and the main thread read the
// same staged operands from the shared memory, each with its own packing scratch, and claim blocks of rows of C
// from a shared counter until none are left. They meet through Atomics on a control block (one notify to post
// the job, one to report it done): no postMessage, no ArrayBuffer transfer.
//
// Thresholds (backend.ts), measured with the TypeScript kernel under plain node: the wasm path wins from about
// 512 multiply-adds (8×8×8: 0.5 µs vs 0.8 µs; 32×50×2: 1.6 vs 4.3; 4×4×64: equal), so wasmMinWork = 1024. Two
// threads pay a wake-up (a few µs while the worker still spins after its last job, tens of µs from sleep) and
// help only when the other core is idle; threadMinWork = 4M multiply-adds (about 270 µs on one thread), raised
// on the fly while the worker comes late (gemm-threads.ts). GFLOP/s: the notes at the top of assembly/gemm.ts.
import { multiplyStaged, scratchBytes } from './gemm-threads.js';
import { memoryLimitBytes, operandsBase, reserve, wasmRuntime } from './wasm-runtime.js';

const MR = 4; // rows and columns of the register tile: oversized products are split no smaller than this
const NR = 8;

/** Rounds a float index up to a 16-byte boundary. */
const align16 = (floats: number): number => (floats + 3) & ~3;

/** 1 when element `off` of `x` is 4 bytes past an 8-byte boundary, else 0. */
export const parity = (x: Float32Array, off: number): number => ((x.byteOffset >> 2) + off) & 1;

/**
 * C = op(A)·op(B) (or C += op(A)·op(B) when `accumulate`) on the wasm kernel, with gemm's contract (see gemm.ts);
 * requires m, n, k ≥ 1. Returns false, having done nothing, when the wasm runtime is unavailable or the
 * product cannot fit its memory; the caller then runs the TypeScript kernel.
 */
export function gemmWasm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, aOff: number, lda: number,
  b: Float32Array, bOff: number, ldb: number,
  c: Float32Array, cOff: number, ldc: number,
  accumulate: boolean,
): boolean {
  const rt = wasmRuntime();
  if (rt === null) return false;
  // op(A) is stored as aRows × aCols with row stride lda, op(B) as bRows × bCols with row stride ldb.
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const ldaW = stagedLd(aRows, aCols, lda);
  const ldbW = stagedLd(bRows, bCols, ldb);
  // Float indices into the heap, each with its source's 8-byte alignment (TypedArray.set into or out of shared
  // memory copies word by word only when source and target are aligned alike; else byte by byte, 5–7× slower).
  const aAt = (operandsBase() >> 2) + parity(a, aOff);
  const bAt = align16(aAt + stagedLength(aRows, aCols, ldaW)) + parity(b, bOff);
  const cAt = align16(bAt + stagedLength(bRows, bCols, ldbW)) + parity(c, cOff);
  const scratchAt = 4 * (cAt + m * n);
  const end = scratchAt + scratchBytes(rt, k, n);
  if (end > memoryLimitBytes()) {
    // Split into parts that fit, unless even an MR × NR part would not (then nothing is written: fall back).
    const smallest = operandsBase() + 8 * (MR + NR) * (k + 16) + scratchBytes(rt, k, NR);
    if (smallest > memoryLimitBytes()) return false;
    split(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    return true;
  }
  reserve(rt, end);
  const heap = rt.heap;
  stage(heap, aAt, a, aOff, aRows, aCols, lda, ldaW);
  stage(heap, bAt, b, bOff, bRows, bCols, ldb, ldbW);
  if (accumulate) stage(heap, cAt, c, cOff, m, n, ldc, n);
  multiplyStaged(rt, transA, transB, m, n, k, 4 * aAt, ldaW, 4 * bAt, ldbW, 4 * cAt, n, accumulate, scratchAt);
  unstage(heap, cAt, c, cOff, m, n, ldc);
  return true;
}

/** The product in two halves along the longer of m and n (for products too large for the wasm memory at once). */
function split(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, aOff: number, lda: number, b: Float32Array, bOff: number, ldb: number,
  c: Float32Array, cOff: number, ldc: number, accumulate: boolean,
): void {
  if (m >= n) {
    const h = Math.ceil(m / 2);
    const a2 = aOff + h * (transA ? 1 : lda);
    gemmWasm(transA, transB, h, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    gemmWasm(transA, transB, m - h, n, k, a, a2, lda, b, bOff, ldb, c, cOff + h * ldc, ldc, accumulate);
  } else {
    const h = Math.ceil(n / 2);
    const b2 = bOff + h * (transB ? ldb : 1);
    gemmWasm(transA, transB, m, h, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    gemmWasm(transA, transB, m, n - h, k, a, aOff, lda, b, b2, ldb, c, cOff + h, ldc, accumulate);
  }
}

// ---- staging ----------------------------------------------------------------------------------------------

/**
 * The row stride an operand stored as rows × cols with row stride `ld` gets in the wasm memory: its own when
 * it is contiguous or has little slack between rows (one memcpy of the whole span), else `cols` (row by row).
 */
function stagedLd(rows: number, cols: number, ld: number): number {
  if (rows === 1 || ld === cols) return cols;
  return ld > cols && ld <= cols + (cols >> 2) + 16 ? ld : cols;
}

/** Floats an operand of rows × cols occupies in the wasm memory with row stride `ldW`. */
function stagedLength(rows: number, cols: number, ldW: number): number {
  return (rows - 1) * ldW + cols;
}

/** Copies the rows × cols matrix at `src[off]` (row stride `ld`) to `heap[at]` with row stride `ldW`. */
export function stage(heap: Float32Array, at: number, src: Float32Array, off: number, rows: number, cols: number, ld: number, ldW: number): void {
  if (rows === 1 || ld === ldW) {
    heap.set(src.subarray(off, off + (rows - 1) * ld + cols), at);
  } else if (cols >= 32) {
    for (let r = 0, s = off, d = at; r < rows; r++, s += ld, d += ldW) heap.set(src.subarray(s, s + cols), d);
  } else {
    for (let r = 0, s = off, d = at; r < rows; r++, s += ld, d += ldW) {
      for (let j = 0; j < cols; j++) heap[d + j] = src[s + j];
    }
  }
}

/** Copies the m × n result at `heap[at]` (row stride n) into `c[cOff]` (row stride ldc). */
export function unstage(heap: Float32Array, at: number, c: Float32Array, cOff: number, m: number, n: number, ldc: number): void {
  if (m === 1 || ldc === n) {
    c.set(heap.subarray(at, at + m * n), cOff);
  } else if (n >= 32) {
    for (let r = 0, s = at, d = cOff; r < m; r++, s += n, d += ldc) c.set(heap.subarray(s, s + n), d);
  } else {
    for (let r = 0, s = at, d = cOff; r < m; r++, s += n, d += ldc) {
      for (let j = 0; j < n; j++) c[d + j] = heap[s + j];
    }
  }
}
