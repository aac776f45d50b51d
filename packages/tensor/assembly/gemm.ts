// WebAssembly SIMD gemm (float32) in AssemblyScript, built into kernels.wasm; driven by src/kernels/gemm-wasm.ts.
//
// C = op(A)·op(B) (or C += ...) on row-major matrices in this module's memory, GotoBLAS style: C is cut into
// NC-column slabs and k into KC-deep slices; op(B)'s slab is packed into NR-column panels, each block of up to
// MC rows of op(A) into MR-row panels per slice (zero-padded at the edges), and a 4×8 register tile of eight
// f32x4 accumulators multiplies one A panel by one B panel: per step, two B vectors, four A values broadcast by
// load32_splat, eight mul + eight add. Packing absorbs the transpositions (SIMD loads for the adjacent cases,
// 4×4 shuffles for the strided ones), so NN, NT, TN and TT run the same micro-kernel on the same panels. Threads
// sharing a product claim row blocks from a counter in shared memory (i32 atomic add), so the faster one does
// more. Addresses are byte offsets; leading dimensions are in elements and never negative (the caller stages so).
//
// Measured (Node 20.20 / V8 11.3 on the 2-vCPU AMD EPYC VM, ~2.2 GHz by a dependent-multiply loop; the machine
// is shared, so best of several runs). Plain SIMD128 has no fused multiply-add, so the ceiling is 2 mul + 2 add
// f32x4 per cycle = 16 flops/cycle ≈ 35 GFLOP/s per core. Micro-kernels alone on L1-resident panels (kc = 256):
// 4×8 one step per iteration 35.4–35.9 (at the ceiling); the same unrolled by 2 in k 26 (V8 hoists the loads
// and spills 14 registers); 5×8 20, 6×8 17–20, 3×12 17–19, 4×12 19–23 (all spill: x64 has 16 xmm registers, V8
// keeps one as scratch, and without FMA every product needs a temporary); 4×8 with A loaded as one vector and
// lanes broadcast by shuffle 31; A stored pre-broadcast (v128 loads instead of load32_splat) 34–36, no gain.
// Whole gemm on staged operands, one thread: n = 128, 512, 1024 and NT/TN/TT at 512 all 32–34 GFLOP/s;
// KC 128–512 with MC 64–256 all within ±1 of each other (KC 256, MC 128 kept).

const MR = 4; // rows of the register tile (lanes of an A panel)
const NR = 8; // columns of the register tile (two f32x4 per row; lanes of a B panel)
const KC = 256; // depth of the packed panels (slices of k)
const MC = 128; // most rows of op(A) packed at a time (a multiple of MR): the largest block a thread claims
const NC = 2048; // columns of op(B) packed at a time (a multiple of NR)

const PACK_A_BYTES: usize = MC * KC * 4;
const TILE_BYTES: usize = MR * NR * 4;

/** The blocking the caller needs to know: MR (0), MC (1) or NC (2). */
export function blocking(which: i32): i32 {
  return which == 0 ? MR : which == 1 ? MC : NC;
}

/** Bytes of scratch one thread's `gemm` needs for a product of depth k and width n (see `gemm`). */
export function workBytes(k: i32, n: i32): usize {
  const width = min(NC, (n + NR - 1) / NR * NR);
  return PACK_A_BYTES + TILE_BYTES + <usize>k * <usize>width * 4;
}

/**
 * C = op(A)·op(B), or C += op(A)·op(B) when `accumulate` is non-zero. op(A) is m×k with element (i, p) at
 * `a + 4·(i·lda + p)`, or `a + 4·(p·lda + i)` when `transA`; op(B) is k×n with (p, j) at `b + 4·(p·ldb + j)`,
 * or `b + 4·(j·ldb + p)` when `transB`; C is m×n with (i, j) at `c + 4·(i·ldc + j)`. Requires m, n, k ≥ 1.
 *
 * Threads that share a product each call this with their own `work` scratch (`workBytes(k, n)` bytes) and the
 * same `counter`: one i32 per NC-column slab of C, zero at the start, from which they claim blocks of `mb` rows
 * (a multiple of MR, at most MC) with an atomic add, so a thread that runs faster computes more of C. A thread
 * packs all of op(B)'s slab (k × NC) once, on its first claim, and each claimed block of op(A) per KC slice;
 * each block of C is computed whole by the thread that claimed it.
 */
export function gemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32, work: usize, mb: i32, counter: usize,
): void {
  const packedA = work;
  const tile = packedA + PACK_A_BYTES;
  const packedB = tile + TILE_BYTES;
  for (let jc = 0; jc < n; jc += NC, counter += 4) {
    const nc = min(NC, n - jc);
    const sliceStep = <usize>((nc + NR - 1) / NR * NR) << 2; // bytes of packed B per step of depth
    let packed = false;
    for (;;) {
      const ic = atomic.add<i32>(counter, 1) * mb;
      if (ic >= m) break;
      if (!packed) {
        for (let pc = 0; pc < k; pc += KC) {
          const bBlock = transB ? b + elements(jc, ldb, pc) : b + elements(pc, ldb, jc);
          packB(transB != 0, bBlock, ldb, min(KC, k - pc), nc, packedB + <usize>pc * sliceStep);
        }
        packed = true;
      }
      const mc = min(mb, m - ic);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = min(KC, k - pc);
        const aBlock = transA ? a + elements(pc, lda, ic) : a + elements(ic, lda, pc);
        packA(transA != 0, aBlock, lda, mc, kc, packedA);
        const add = accumulate != 0 || pc > 0;
        tiles(mc, nc, kc, packedA, packedB + <usize>pc * sliceStep, c + elements(ic, ldc, jc), ldc, add, tile);
      }
    }
  }
}

/** Byte offset of element (row, col) of a row-major matrix with leading dimension `ld`. */
// @ts-ignore: decorator
@inline function elements(row: i32, ld: i32, col: i32): usize {
  return (<usize>row * <usize>ld + <usize>col) << 2;
}

/** 4×4 transpose: stores column q of the rows r0..r3 (4 floats each) at `dst + q·step`. */
// @ts-ignore: decorator
@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
  const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + step, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * step, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/**
 * Packs the mc×kc block of op(A) at `a` into MR-row panels at `dst`: panel r holds rows MR·r .. MR·r+3 as
 * `dst[r·MR·kc + MR·p + lane]`, zero past row mc.
 */
function packA(trans: bool, a: usize, lda: i32, mc: i32, kc: i32, dst: usize): void {
  const ld = <usize>lda << 2;
  let i = 0;
  for (; i + MR <= mc; i += MR) {
    if (trans) {
      // Rows of the panel are adjacent: one vector per step.
      let src = a + (<usize>i << 2);
      for (let p = 0; p < kc; p++, src += ld, dst += 16) v128.store(dst, v128.load(src));
    } else {
      // Steps are adjacent: transpose 4×4 blocks of the four rows.
      const s0 = a + <usize>i * ld;
      const s1 = s0 + ld;
      const s2 = s1 + ld;
      const s3 = s2 + ld;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        transpose4(v128.load(s0 + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o), dst + (o << 2), 16);
      }
      for (; p < kc; p++) {
        const o = <usize>p << 2;
        const d = dst + (o << 2);
        store<f32>(d, load<f32>(s0 + o));
        store<f32>(d, load<f32>(s1 + o), 4);
        store<f32>(d, load<f32>(s2 + o), 8);
        store<f32>(d, load<f32>(s3 + o), 12);
      }
      dst += <usize>kc << 4;
    }
  }
  if (i < mc) {
    // The last, partial panel: the missing rows are zeros.
    const rows = mc - i;
    for (let p = 0; p < kc; p++, dst += 16) {
      for (let r = 0; r < MR; r++) {
        const v: f32 = r < rows ? load<f32>(a + (trans ? elements(p, lda, i + r) : elements(i + r, lda, p))) : 0;
        store<f32>(dst + (<usize>r << 2), v);
      }
    }
  }
}

/**
 * Packs the kc×nc block of op(B) at `b` into NR-column panels at `dst`: panel s holds columns NR·s .. NR·s+7
 * as `dst[s·NR·kc + NR·p + lane]`, zero past column nc.
 */
function packB(trans: bool, b: usize, ldb: i32, kc: i32, nc: i32, dst: usize): void {
  const ld = <usize>ldb << 2;
  let j = 0;
  for (; j + NR <= nc; j += NR) {
    if (!trans) {
      // Columns of the panel are adjacent: two vectors per step.
      let src = b + (<usize>j << 2);
      for (let p = 0; p < kc; p++, src += ld, dst += 32) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      }
    } else {
      // Steps are adjacent: transpose 4×4 blocks of columns j..j+3 and j+4..j+7.
      const s0 = b + <usize>j * ld;
      const s4 = s0 + 4 * ld;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        const d = dst + (o << 3);
        transpose4(v128.load(s0 + o), v128.load(s0 + ld + o), v128.load(s0 + 2 * ld + o), v128.load(s0 + 3 * ld + o), d, 32);
        transpose4(v128.load(s4 + o), v128.load(s4 + ld + o), v128.load(s4 + 2 * ld + o), v128.load(s4 + 3 * ld + o), d + 16, 32);
      }
      for (; p < kc; p++) {
        const o = <usize>p << 2;
        const d = dst + (o << 3);
        for (let s = 0; s < NR; s++) store<f32>(d + (<usize>s << 2), load<f32>(s0 + <usize>s * ld + o));
      }
      dst += <usize>kc << 5;
    }
  }
  if (j < nc) {
    // The last, partial panel: the missing columns are zeros.
    const cols = nc - j;
    for (let p = 0; p < kc; p++, dst += 32) {
      for (let s = 0; s < NR; s++) {
        const v: f32 = s < cols ? load<f32>(b + (trans ? elements(j + s, ldb, p) : elements(p, ldb, j + s))) : 0;
        store<f32>(dst + (<usize>s << 2), v);
      }
    }
  }
}

/** Multiplies the packed mc×kc block of A by the packed kc×nc slice of B into C (adding when `add`). */
function tiles(mc: i32, nc: i32, kc: i32, packedA: usize, packedB: usize, c: usize, ldc: i32, add: bool, tile: usize): void {
  const ldcBytes = <usize>ldc << 2;
  const aStep = <usize>kc * (MR * 4);
  const bStep = <usize>kc * (NR * 4);
  for (let j = 0; j < nc; j += NR, packedB += bStep) {
    const cols = min(NR, nc - j);
    let pa = packedA;
    for (let i = 0; i < mc; i += MR, pa += aStep) {
      const rows = min(MR, mc - i);
      const ct = c + elements(i, ldc, j);
      if (rows == MR && cols == NR) {
        kernel(kc, pa, packedB, ct, ldcBytes, add);
      } else {
        // An edge tile: compute all of it into `tile`, then copy the part inside C.
        kernel(kc, pa, packedB, tile, NR * 4, false);
        for (let r = 0; r < rows; r++) {
          for (let s = 0; s < cols; s++) {
            const to = ct + <usize>r * ldcBytes + (<usize>s << 2);
            const v = load<f32>(tile + <usize>((r * NR + s) << 2));
            store<f32>(to, add ? load<f32>(to) + v : v);
          }
        }
      }
    }
  }
}

/** Adds (or, unless `add`, stores) the accumulators x0, x1 into the 8 floats at `c`. */
// @ts-ignore: decorator
@inline function update(c: usize, x0: v128, x1: v128, add: bool): void {
  if (add) {
    x0 = f32x4.add(v128.load(c), x0);
    x1 = f32x4.add(v128.load(c, 16), x1);
  }
  v128.store(c, x0);
  v128.store(c, x1, 16);
}

/**
 * The micro-kernel: the 4×8 tile at `c` (rows `ldc` bytes apart) gets, or gains when `add`, the product of the
 * A panel at `pa` (4 floats per step) and the B panel at `pb` (8 floats per step) over kc steps.
 * Measured: one step per iteration; unrolling or larger tiles make V8 spill accumulators (see the notes).
 */
function kernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const end = pb + (<usize>kc << 5);
  while (pb < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += 16;
    pb += 32;
  }
  update(c, c00, c01, add);
  c += ldc;
  update(c, c10, c11, add);
  c += ldc;
  update(c, c20, c21, add);
  c += ldc;
  update(c, c30, c31, add);
}
