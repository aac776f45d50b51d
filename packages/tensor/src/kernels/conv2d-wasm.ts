// conv2d and its two gradients in the WebAssembly memory (float32): the input, the filter and the result are
// copied in once, im2col/col2im run in wasm (packages/tensor/assembly/im2col.ts), and each chunk of the patch
// matrix goes through the wasm gemm on one or both threads (gemm-threads.ts), so the patch matrix never leaves
// the wasm memory. Versus im2col in TypeScript + the wasm gemm per chunk, this saves the TypeScript im2col loop
// and copying every chunk of the patch matrix (kh·kw times the size of the input) into the wasm memory: about
// half the time of each pass (measurements in conv2d.ts).
import type { Conv2dGeometry } from './conv-geometry.js';
import { multiplyStaged, scratchBytes } from './gemm-threads.js';
import { parity, stage } from './gemm-wasm.js';
import { GEOMETRY, type WasmRuntime, memoryLimitBytes, operandsBase, reserve, wasmRuntime } from './wasm-runtime.js';

/**
 * Cells of the patch matrix per chunk (512 KiB of float32, half the L2 cache), so that the gemm packs the chunk
 * im2col just wrote from L2. Measured on [32,28,28,16] * [3,3,16,32] forward, one thread: 227-row chunks
 * (32K cells) im2col 1.1 ms + gemm 7.5 ms; 910 rows (128K) 1.1 + 7.7 ms; 3640 rows (512K) 1.8 + 11.5 ms.
 */
const CHUNK_FLOATS = 1 << 17;

/** A row-major float32 operand: `data[offset ..]`. */
export interface Flat32 {
  readonly data: Float32Array;
  readonly offset: number;
}

/** Which product: the convolution, the input gradient (col2im of dy·Wᵀ) or the filter gradient (colsᵀ·dy). */
export type Conv2dPass = 'forward' | 'input' | 'filter';

/**
 * Runs one conv2d pass in the wasm memory, writing `result` (zero-filled, of the pass's output length):
 * forward(x = first, filter = second), input(dy = first, filter = second), filter(x = first, dy = second).
 * `pointwise` (1×1 window, stride 1, no padding) skips im2col. Returns false, having done nothing, when the
 * wasm runtime is unavailable or the operands do not fit its memory (the caller then runs its own path).
 */
export function conv2dWasm(pass: Conv2dPass, g: Conv2dGeometry, pointwise: boolean, first: Flat32, second: Flat32, result: Float32Array): boolean {
  const K = g.kh * g.kw * g.channels;
  const F = g.filters;
  const M = g.batch * g.outH * g.outW;
  if (M * K * F === 0) return false;
  const rt = wasmRuntime();
  if (rt === null) return false;
  const xLength = g.batch * g.inH * g.inW * g.channels;
  const rows = pointwise ? M : Math.min(M, Math.max(1, Math.floor(CHUNK_FLOATS / K)));
  // Layout (float indices): the first operand, the second, the result, the chunk of the patch matrix.
  const firstLength = pass === 'input' ? M * F : xLength;
  const secondLength = pass === 'filter' ? M * F : K * F;
  const firstAt = (operandsBase() >> 2) + parity(first.data, first.offset); // alignments as in gemm-wasm.ts
  const secondAt = align(firstAt + firstLength) + parity(second.data, second.offset);
  const resultAt = align(secondAt + secondLength) + parity(result, 0);
  const colsAt = align(resultAt + result.length);
  const scratchAt = 4 * (colsAt + (pointwise ? 0 : rows * K));
  const [depth, width] = pass === 'forward' ? [K, F] : pass === 'input' ? [F, K] : [rows, F];
  const end = scratchAt + scratchBytes(rt, depth, width);
  if (end > memoryLimitBytes()) return false;
  reserve(rt, end);
  stage(rt.heap, firstAt, first.data, first.offset, 1, firstLength, firstLength, firstLength);
  stage(rt.heap, secondAt, second.data, second.offset, 1, secondLength, secondLength, secondLength);
  setGeometry(rt, g);
  const ex = rt.exports;
  if (pass === 'input') ex.zero(4 * resultAt, 4 * result.length);
  for (let r0 = 0; r0 < M; r0 += rows) {
    const r1 = Math.min(M, r0 + rows);
    const count = r1 - r0;
    if (pass === 'forward') {
      // y[r0 .. r1) = cols · W
      const a = pointwise ? firstAt + r0 * K : colsAt;
      if (!pointwise) ex.patches(GEOMETRY, 4 * firstAt, r0, r1, 4 * colsAt, 0);
      multiplyStaged(rt, false, false, count, F, K, 4 * a, K, 4 * secondAt, F, 4 * (resultAt + r0 * F), F, false, scratchAt);
    } else if (pass === 'input') {
      // dcols = dy[r0 .. r1) · Wᵀ, scattered into dx (written in place when pointwise)
      const c = pointwise ? resultAt + r0 * K : colsAt;
      multiplyStaged(rt, false, true, count, K, F, 4 * (firstAt + r0 * F), F, 4 * secondAt, F, 4 * c, K, false, scratchAt);
      if (!pointwise) ex.patches(GEOMETRY, 4 * resultAt, r0, r1, 4 * colsAt, 1);
    } else {
      // dW += cols[r0 .. r1)ᵀ · dy[r0 .. r1)
      const a = pointwise ? firstAt + r0 * K : colsAt;
      if (!pointwise) ex.patches(GEOMETRY, 4 * firstAt, r0, r1, 4 * colsAt, 0);
      multiplyStaged(rt, true, false, K, F, count, 4 * a, K, 4 * (secondAt + r0 * F), F, 4 * resultAt, F, r0 > 0, scratchAt);
    }
  }
  result.set(rt.heap.subarray(resultAt, resultAt + result.length));
  return true;
}

const align = (floats: number): number => (floats + 3) & ~3;

/** Writes the geometry where im2col.ts reads it. */
function setGeometry(rt: WasmRuntime, g: Conv2dGeometry): void {
  const v = [g.inH, g.inW, g.channels, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.outH, g.outW, g.padTop, g.padLeft];
  for (let i = 0; i < v.length; i++) rt.geometry[i] = v[i];
}
