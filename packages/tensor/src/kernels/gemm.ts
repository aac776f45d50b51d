// General matrix multiply on typed arrays (BLAS gemm, row-major): the one routine matmul and conv2d share.
//
// Design. Large products follow GotoBLAS: C is cut into NC-column slabs, k into KC-deep slices and the rows into
// MC-row blocks; each slice of op(B) and block of op(A) is packed into scratch panels of 3 lanes × KC doubles
// (module-level, grown on demand, never allocated per call), and a 3×3 register micro-kernel multiplies one
// A panel by one B panel with its nine sums in local variables. Packing absorbs the transpositions, so the
// four transpose combinations run the same code at the same speed. Products with m·n·k < SMALL_WORK, or fewer
// than 3 rows or columns, skip packing: 3×3 tiles read the strided operands in place, with dot or axpy loops
// for the leftover rows and columns.
//
// Measured (Node 20, a 2-core AMD EPYC (Zen 3) VM shared with other jobs, so ±25% from run to run; float32,
// best of several runs, GFLOP/s). Micro-kernels alone on L1-resident panels (kc = 256), indexing A[ai + c]:
// 4×4 3.6, 4×8 3.9, 2×8 3.7, 4×6 4.0, 3×4 4.0, 2×4 4.1; unrolled by 2 in k: 3.4–3.6. V8 pays index arithmetic
// and a bounds check per load and spills past ~15 live doubles, so the kernel kept is 3×3 (9 sums + 3 a + 1 b)
// over panels that each start at 0, one index shared by A and B: 4.6–4.7 alone (3×4 the same way: 4.2, 4×4:
// 3.8). Panels of doubles beat float32 panels (4.6 vs 4.4) and keep the kernel monomorphic when both dtypes
// run; plain double arrays match Float64Array views (4.65 vs 4.3) and, unlike them, keep their speed once V8's
// "array buffer detaching" protector is invalidated (any ArrayBuffer transfer in the process, e.g. to a worker;
// tsx does one), after which every typed-array load carries an extra check (Float64Array kernel: 4.3 → 2.2).
// Whole gemm, NN/NT/TN/TT: n=128 3.8/4.1/4.0/4.0, n=512 4.3/4.2/4.2/4.2, n=1024 4.2/4.1/4.1/4.2, the same with
// the protector gone (the offset-indexed 4×4 kernel gave 3.5 at n=512). KC 128–512, MC 48–192 change it by less than the noise. Unpacked
// tiles win below about 24³ (16³: 3.5 µs vs 3.9 µs packed; 32³: 26 µs vs 20 µs); [32,2]·[2,50] takes ~4 µs.
import { wasmGemmWanted } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import { gemmWasm } from './gemm-wasm.js';

const MR = 3; // rows of a micro-tile (lanes of an A panel)
const NR = 3; // columns of a micro-tile (lanes of a B panel)
const KC = 256; // depth of a packed panel
const MC = 96; // rows of op(A) packed at a time (a multiple of MR)
const NC = 1536; // columns of op(B) packed at a time (a multiple of NR)
const PANEL = 3 * KC; // length of one packed panel
const SMALL_WORK = 16384; // below this many multiply-adds, skip packing

// Packed panels: plain arrays of doubles (see above), one per 3 lanes.
const aPanels: number[][] = [];
const bPanels: number[][] = [];
const tile = new Float64Array(MR * NR);
let line = new Float64Array(64);

/**
 * C = op(A)·op(B) (or C += op(A)·op(B) when `accumulate`), row-major.
 *
 * op(A) is m×k: element (i, p) is `a[aOff + i*lda + p]`, or `a[aOff + p*lda + i]` when `transA`.
 * op(B) is k×n: element (p, j) is `b[bOff + p*ldb + j]`, or `b[bOff + j*ldb + p]` when `transB`.
 * C is m×n: element (i, j) is `c[cOff + i*ldc + j]`.
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: TypedArray, aOff: number, lda: number,
  b: TypedArray, bOff: number, ldb: number,
  c: TypedArray, cOff: number, ldc: number,
  accumulate: boolean,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) c.fill(0, cOff + i * ldc, cOff + i * ldc + n);
    return;
  }
  // Float32 products large enough to repay staging go to the WebAssembly kernel (gemm-wasm.ts) when the
  // backend is 'wasm'; it declines (false) when its module is unavailable, and this kernel runs instead.
  if (
    wasmGemmWanted(m * n * k) && c instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array &&
    gemmWasm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate)
  ) {
    return;
  }
  // Steps of op(A) along i and p, and of op(B) along p and j.
  const ai = transA ? 1 : lda;
  const ap = transA ? lda : 1;
  const bp = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  if (m * n * k < SMALL_WORK || m < MR || n < NR) {
    gemmDirect(m, n, k, a, aOff, ai, ap, b, bOff, bp, bj, c, cOff, ldc, accumulate);
  } else {
    gemmPacked(m, n, k, a, aOff, ai, ap, b, bOff, bp, bj, c, cOff, ldc, accumulate);
  }
}

// ---- the packed path ------------------------------------------------------------------------------------

/** The large-product path: pack panels of op(B) and op(A), then run the micro-kernel over every tile. */
function gemmPacked(
  m: number, n: number, k: number, a: TypedArray, aOff: number, ai: number, ap: number,
  b: TypedArray, bOff: number, bp: number, bj: number, c: TypedArray, cOff: number, ldc: number, accumulate: boolean,
): void {
  const bCount = Math.ceil(Math.min(NC, n) / NR);
  const aCount = Math.ceil(Math.min(MC, m) / MR);
  while (bPanels.length < bCount) bPanels.push(newPanel());
  while (aPanels.length < aCount) aPanels.push(newPanel());
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      pack(bPanels, b, bOff + pc * bp + jc * bj, bj, bp, nc, kc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        pack(aPanels, a, aOff + ic * ai + pc * ap, ai, ap, mc, kc);
        tiles(mc, nc, kc, c, cOff + ic * ldc + jc, ldc, accumulate || pc > 0);
      }
    }
  }
}

/** A new scratch panel: a packed array of PANEL doubles (filled with 0.5 so that V8 stores them unboxed). */
function newPanel(): number[] {
  const values: number[] = [];
  for (let q = 0; q < PANEL; q++) values.push(0.5);
  return values;
}

/**
 * Packs `width` lanes × `kc` steps of a strided operand (lane l, step p at `src[base + l*laneStep + p*pStep]`)
 * into panels of 3 lanes: panel r holds lanes 3r..3r+2 as `dst[r][3p + lane]`, zero-padded past `width`.
 */
function pack(dst: number[][], src: TypedArray, base: number, laneStep: number, pStep: number, width: number, kc: number): void {
  const full = width - (width % 3);
  if (laneStep === 1) {
    // Lanes are adjacent: walk each step's run of lanes once, dealing them out to the panels.
    for (let p = 0, s = base; p < kc; p++, s += pStep) {
      for (let l = 0, r = 0, q = 3 * p; l < full; l += 3, r++) {
        const panel = dst[r];
        panel[q] = src[s + l];
        panel[q + 1] = src[s + l + 1];
        panel[q + 2] = src[s + l + 2];
      }
    }
  } else {
    // Steps are adjacent (or nothing is): stream three lanes at a time.
    for (let l = 0, r = 0; l < full; l += 3, r++) {
      const panel = dst[r];
      let s0 = base + l * laneStep;
      let s1 = s0 + laneStep;
      let s2 = s1 + laneStep;
      for (let q = 0, end = 3 * kc; q < end; q += 3, s0 += pStep, s1 += pStep, s2 += pStep) {
        panel[q] = src[s0];
        panel[q + 1] = src[s1];
        panel[q + 2] = src[s2];
      }
    }
  }
  if (full < width) packEdge(dst[full / 3], src, base + full * laneStep, laneStep, pStep, width - full, kc);
}

/** Packs the last 1 or 2 lanes into `panel`, filling the missing lanes with zeros. */
function packEdge(panel: number[], src: TypedArray, base: number, laneStep: number, pStep: number, lanes: number, kc: number): void {
  for (let q = 0, s = base, end = 3 * kc; q < end; q += 3, s += pStep) {
    panel[q] = src[s];
    panel[q + 1] = lanes === 2 ? src[s + laneStep] : 0;
    panel[q + 2] = 0;
  }
}

/** Multiplies the packed mc×kc block of A by the packed kc×nc slice of B into C (adding when `add`). */
function tiles(mc: number, nc: number, kc: number, c: TypedArray, cOff: number, ldc: number, add: boolean): void {
  for (let j = 0, bq = 0; j < nc; j += NR, bq++) {
    const bPanel = bPanels[bq];
    const cols = Math.min(NR, nc - j);
    for (let i = 0, aq = 0; i < mc; i += MR, aq++) {
      const ci = cOff + i * ldc + j;
      const rows = Math.min(MR, mc - i);
      if (rows === MR && cols === NR) {
        kernel3x3(kc, aPanels[aq], bPanel, c, ci, ldc, add);
      } else {
        kernel3x3(kc, aPanels[aq], bPanel, tile, 0, NR, false);
        for (let r = 0; r < rows; r++) {
          for (let s = 0, x = ci + r * ldc; s < cols; s++, x++) c[x] = add ? c[x] + tile[r * NR + s] : tile[r * NR + s];
        }
      }
    }
  }
}

/**
 * The micro-kernel: the 3×3 tile at `c[ci]` (row step `ldc`) gets (or, when `add`, gains) the product of an A
 * panel and a B panel of depth kc. Both panels start at index 0, so one index q serves both arrays.
 */
function kernel3x3(kc: number, A: number[], B: number[], c: TypedArray, ci: number, ldc: number, add: boolean): void {
  let c00 = 0, c01 = 0, c02 = 0, c10 = 0, c11 = 0, c12 = 0, c20 = 0, c21 = 0, c22 = 0;
  for (let q = 0, end = 3 * kc; q < end; q = (q + 3) | 0) {
    const q1 = (q + 1) | 0;
    const q2 = (q + 2) | 0;
    const a0 = A[q];
    const a1 = A[q1];
    const a2 = A[q2];
    let v = B[q];
    c00 += a0 * v; c10 += a1 * v; c20 += a2 * v;
    v = B[q1];
    c01 += a0 * v; c11 += a1 * v; c21 += a2 * v;
    v = B[q2];
    c02 += a0 * v; c12 += a1 * v; c22 += a2 * v;
  }
  const c1 = ci + ldc;
  const c2 = c1 + ldc;
  if (add) {
    c[ci] += c00; c[ci + 1] += c01; c[ci + 2] += c02;
    c[c1] += c10; c[c1 + 1] += c11; c[c1 + 2] += c12;
    c[c2] += c20; c[c2 + 1] += c21; c[c2 + 2] += c22;
  } else {
    c[ci] = c00; c[ci + 1] = c01; c[ci + 2] = c02;
    c[c1] = c10; c[c1 + 1] = c11; c[c1 + 2] = c12;
    c[c2] = c20; c[c2 + 1] = c21; c[c2 + 2] = c22;
  }
}

// ---- the direct path ------------------------------------------------------------------------------------

/** The small and thin path: 3×3 tiles read in place, then the leftover rows and columns. */
function gemmDirect(
  m: number, n: number, k: number, a: TypedArray, aOff: number, ai: number, ap: number,
  b: TypedArray, bOff: number, bp: number, bj: number, c: TypedArray, cOff: number, ldc: number, accumulate: boolean,
): void {
  const m3 = m - (m % 3);
  const n3 = n - (n % 3);
  if (m3 > 0 && n3 > 0) directTiles(m3, n3, k, a, aOff, ai, ap, b, bOff, bp, bj, c, cOff, ldc, accumulate);
  if (n3 < n) dots(m3, n - n3, k, a, aOff, ai, ap, b, bOff + n3 * bj, bp, bj, c, cOff + n3, ldc, accumulate);
  if (m3 < m) {
    const a0 = aOff + m3 * ai;
    const c0 = cOff + m3 * ldc;
    if (bj === 1 && n > 8) axpyRows(m - m3, n, k, a, a0, ai, ap, b, bOff, bp, c, c0, ldc, accumulate);
    else dots(m - m3, n, k, a, a0, ai, ap, b, bOff, bp, bj, c, c0, ldc, accumulate);
  }
}

/** The m3×n3 corner of C (both multiples of 3) in 3×3 tiles read straight from the strided operands. */
function directTiles(
  m3: number, n3: number, k: number, a: TypedArray, aOff: number, ai: number, ap: number,
  b: TypedArray, bOff: number, bp: number, bj: number, c: TypedArray, cOff: number, ldc: number, add: boolean,
): void {
  const ai2 = ai + ai;
  const bj2 = bj + bj;
  for (let i = 0; i < m3; i += 3) {
    for (let j = 0; j < n3; j += 3) {
      let c00 = 0, c01 = 0, c02 = 0, c10 = 0, c11 = 0, c12 = 0, c20 = 0, c21 = 0, c22 = 0;
      for (let p = 0, x = aOff + i * ai, y = bOff + j * bj; p < k; p++, x += ap, y += bp) {
        const a0 = a[x];
        const a1 = a[x + ai];
        const a2 = a[x + ai2];
        let v = b[y];
        c00 += a0 * v; c10 += a1 * v; c20 += a2 * v;
        v = b[y + bj];
        c01 += a0 * v; c11 += a1 * v; c21 += a2 * v;
        v = b[y + bj2];
        c02 += a0 * v; c12 += a1 * v; c22 += a2 * v;
      }
      const c0 = cOff + i * ldc + j;
      const c1 = c0 + ldc;
      const c2 = c1 + ldc;
      if (add) {
        c[c0] += c00; c[c0 + 1] += c01; c[c0 + 2] += c02;
        c[c1] += c10; c[c1 + 1] += c11; c[c1 + 2] += c12;
        c[c2] += c20; c[c2 + 1] += c21; c[c2 + 2] += c22;
      } else {
        c[c0] = c00; c[c0 + 1] = c01; c[c0 + 2] = c02;
        c[c1] = c10; c[c1 + 1] = c11; c[c1 + 2] = c12;
        c[c2] = c20; c[c2 + 1] = c21; c[c2 + 2] = c22;
      }
    }
  }
}

/** C (m×n) from one dot product per element, summed in float64. */
function dots(
  m: number, n: number, k: number, a: TypedArray, aOff: number, ai: number, ap: number,
  b: TypedArray, bOff: number, bp: number, bj: number, c: TypedArray, cOff: number, ldc: number, add: boolean,
): void {
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * ldc;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, x = aOff + i * ai, y = bOff + j * bj; p < k; p++, x += ap, y += bp) s += a[x] * b[y];
      c[ci + j] = add ? c[ci + j] + s : s;
    }
  }
}

/** C (m×n) row by row as sums of rows of op(B) (contiguous, bj = 1) scaled by op(A), in a float64 line. */
function axpyRows(
  m: number, n: number, k: number, a: TypedArray, aOff: number, ai: number, ap: number,
  b: TypedArray, bOff: number, bp: number, c: TypedArray, cOff: number, ldc: number, add: boolean,
): void {
  if (line.length < n) line = new Float64Array(n);
  const acc = line;
  for (let i = 0; i < m; i++) {
    const x0 = aOff + i * ai;
    const first = a[x0];
    for (let j = 0; j < n; j++) acc[j] = first * b[bOff + j];
    for (let p = 1; p < k; p++) {
      const v = a[x0 + p * ap];
      for (let j = 0, y = bOff + p * bp; j < n; j++) acc[j] += v * b[y + j];
    }
    const ci = cOff + i * ldc;
    if (add) for (let j = 0; j < n; j++) c[ci + j] += acc[j];
    else for (let j = 0; j < n; j++) c[ci + j] = acc[j];
  }
}
