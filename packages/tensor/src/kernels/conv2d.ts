// conv2d on NHWC inputs and HWIO filters, with the gradients for the input and the filter: im2col + gemm.
//
// Row r of the im2col matrix `cols` [N·outH·outW, kh·kw·C] holds the input patch under output pixel r, in
// (ky, kx, c) order; padded cells are 0. The filter read as a matrix W [kh·kw·C, F] then gives
//   y = cols · W,   dcols = dy · Wᵀ (scattered back into dx by col2im),   dW = colsᵀ · dy.
// The rows go through one chunk buffer of about CHUNK_ELEMENTS cells, so the patch matrix never exists whole
// (a module-level buffer reused across calls measured no faster, so each call allocates its own).
// A 1×1 filter with stride 1 skips im2col: cols is x itself.
// On the wasm backend, float32 passes run whole inside the WebAssembly memory instead (conv2d-wasm.ts: im2col,
// col2im and the gemm in wasm). Measured on [32,28,28,16] * [3,3,16,32] 'same' (best of 7, ms, forward /
// input gradient / filter gradient): TypeScript 73 / 72 / 69; TypeScript im2col + wasm gemm per chunk 21 / 23 /
// 19; all in wasm, one thread 10.7 / 10.2 / 9.1.
import { wasmGemmWanted } from '../backend.js';
import { type TypedArray, allocate, dtypeOfArray } from '../dtype.js';
import { type Shape, checkShape, sizeOf } from '../shape.js';
import { copyToContiguous } from '../strided.js';
import { Tensor } from '../tensor.js';
import { type Conv2dGeometry, type Conv2dOptions, checkOutputGradient, conv2dGeometry } from './conv-geometry.js';
import { type Conv2dPass, type Flat32, conv2dWasm } from './conv2d-wasm.js';
import { checkSameDType } from './elementwise.js';
import { gemm } from './gemm.js';

/** Target number of cells in one chunk of the patch matrix (measured: anything from 8K to 1M is equally fast). */
const CHUNK_ELEMENTS = 65536;

/** Row-major data of a tensor: its own storage when contiguous, else a contiguous copy. */
interface Flat {
  data: TypedArray;
  offset: number;
}

function flat(t: Tensor): Flat {
  return t.isContiguous ? { data: t.data, offset: t.offset } : { data: copyToContiguous(t), offset: 0 };
}

/**
 * Runs the pass in the WebAssembly memory (conv2d-wasm.ts) when the backend is 'wasm', the dtype float32 and the
 * product large enough; false when it did not (then the caller runs im2col + gemm here).
 */
function onWasm(pass: Conv2dPass, g: Conv2dGeometry, first: Flat, second: Flat, result: TypedArray): boolean {
  const work = g.batch * g.outH * g.outW * g.kh * g.kw * g.channels * g.filters;
  if (!wasmGemmWanted(work) || !(result instanceof Float32Array)) return false;
  if (!(first.data instanceof Float32Array) || !(second.data instanceof Float32Array)) return false;
  return conv2dWasm(pass, g, isPointwise(g), first as Flat32, second as Flat32, result);
}

/** True when the patch matrix is the input itself: a 1×1 window, stride 1, no padding. */
function isPointwise(g: Conv2dGeometry): boolean {
  return g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.padTop === 0 && g.padLeft === 0;
}

/** Rows of the patch matrix per chunk. */
function chunkRows(g: Conv2dGeometry): number {
  return Math.max(1, Math.floor(CHUNK_ELEMENTS / (g.kh * g.kw * g.channels)));
}

/**
 * Runs one pass of a conv2d on the patch matrix (M rows of K = kh·kw·channels): on the WebAssembly kernel when it
 * takes the pass; else `pointwise()` when the patch matrix is the input itself; else `chunk(cols, r0, r1)` for
 * each block of rows r0 .. r1-1, with `cols` scratch of (r1 - r0)·K elements reused between blocks.
 */
function runPass(
  pass: Conv2dPass, g: Conv2dGeometry, first: Flat, second: Flat, result: TypedArray,
  pointwise: () => void, chunk: (cols: TypedArray, r0: number, r1: number) => void,
): void {
  if (onWasm(pass, g, first, second, result)) return; // done in the WebAssembly memory
  if (isPointwise(g)) return pointwise();
  const M = g.batch * g.outH * g.outW;
  const rows = chunkRows(g);
  const cols = allocate(dtypeOfArray(result), Math.min(rows, M) * g.kh * g.kw * g.channels);
  for (let r0 = 0; r0 < M; r0 += rows) chunk(cols, r0, Math.min(M, r0 + rows));
}

/**
 * Fills `cols[0 ..)` with rows r0 .. r1-1 of the patch matrix of `x` (NHWC at `x[xOff ..]`), or, when
 * `scatter`, does the reverse: adds those rows of `cols` into `x` at the cells they were read from (col2im).
 */
function patches(x: TypedArray, xOff: number, g: Conv2dGeometry, r0: number, r1: number, cols: TypedArray, scatter: boolean): void {
  const { inH, inW, channels: C, kh, kw, sh, sw, dh, dw, outH, outW, padTop, padLeft } = g;
  const pixels = outH * outW;
  let n = Math.floor(r0 / pixels);
  let oy = Math.floor((r0 - n * pixels) / outW);
  let ox = r0 - n * pixels - oy * outW;
  const rowSpan = kw * C;
  let o = 0;
  for (let r = r0; r < r1; r++) {
    const xn = xOff + n * inH * inW * C;
    const y0 = oy * sh - padTop;
    const x0 = ox * sw - padLeft;
    const inside = dw === 1 && x0 >= 0 && x0 + kw <= inW; // the kw taps are one contiguous run of kw·C cells
    for (let ky = 0; ky < kh; ky++) {
      const iy = y0 + ky * dh;
      if (iy < 0 || iy >= inH) {
        if (!scatter) cols.fill(0, o, o + rowSpan);
        o += rowSpan;
      } else if (inside) {
        const xb = xn + (iy * inW + x0) * C;
        if (scatter) for (let i = 0; i < rowSpan; i++) x[xb + i] += cols[o + i];
        else for (let i = 0; i < rowSpan; i++) cols[o + i] = x[xb + i];
        o += rowSpan;
      } else {
        for (let kx = 0; kx < kw; kx++, o += C) {
          const ix = x0 + kx * dw;
          const xb = xn + (iy * inW + ix) * C;
          if (ix < 0 || ix >= inW) {
            if (!scatter) for (let c = 0; c < C; c++) cols[o + c] = 0;
          } else if (scatter) for (let c = 0; c < C; c++) x[xb + c] += cols[o + c];
          else for (let c = 0; c < C; c++) cols[o + c] = x[xb + c];
        }
      }
    }
    if (++ox === outW) {
      ox = 0;
      if (++oy === outH) {
        oy = 0;
        n++;
      }
    }
  }
}

/**
 * 2-D convolution (cross-correlation, as in Keras and TensorFlow) of an NHWC input with an HWIO filter, no bias:
 * `y[n, i, j, f] = Σ_{ky, kx, c} x[n, i·sh + ky·dh − padTop, j·sw + kx·dw − padLeft, c] · filter[ky, kx, c, f]`,
 * with cells outside the input counting as 0. Output `[N, outH, outW, F]`, sizes and padding by Keras's rule
 * (see `conv2dGeometry`).
 * @throws Error for wrong ranks, a channel mismatch, different dtypes, bad options, strides > 1 with
 * dilation > 1, or a 'valid' window larger than the input.
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
 * const f = tensor([1, 0, 0, 1], [2, 2, 1, 1]);   // adds each cell to its lower-right neighbour
 * conv2d(x, f).toArray();                          // [[[[6], [8]], [[12], [14]]]]
 * conv2d(x, f, { padding: 'same' }).shape;         // [1, 3, 3, 1]
 * ```
 */
export function conv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): Tensor {
  checkSameDType('conv2d', x, filter);
  const g = conv2dGeometry(x.shape, filter.shape, options, 'conv2d');
  const K = g.kh * g.kw * g.channels;
  const F = g.filters;
  const M = g.batch * g.outH * g.outW;
  const out = allocate(x.dtype, M * F);
  const xs = flat(x);
  const w = flat(filter);
  runPass(
    'forward', g, xs, w, out,
    () => gemm(false, false, M, F, K, xs.data, xs.offset, K, w.data, w.offset, F, out, 0, F, false),
    (cols, r0, r1) => {
      patches(xs.data, xs.offset, g, r0, r1, cols, false);
      gemm(false, false, r1 - r0, F, K, cols, 0, K, w.data, w.offset, F, out, r0 * F, F, false);
    },
  );
  return new Tensor(out, [g.batch, g.outH, g.outW, F]);
}

/**
 * The gradient of `conv2d(x, filter, options)` with respect to `x`, for an output gradient `dy`:
 * `dx[n, iy, ix, c] = Σ dy[n, i, j, f] · filter[ky, kx, c, f]` over every (i, j, ky, kx) whose tap lands on (iy, ix).
 * Computed as col2im(dy · Wᵀ). Cells no window reaches get 0.
 * @throws Error when `dy` does not have the output shape of a conv2d of `inputShape` with `filter` and `options`.
 * @example
 * ```ts
 * const f = tensor([1, 0, 0, 1], [2, 2, 1, 1]);
 * const dy = tensor([1, 1, 1, 1], [1, 2, 2, 1]);
 * conv2dBackpropInput(dy, f, [1, 3, 3, 1]).toArray(); // [[[[1], [1], [0]], [[1], [2], [1]], [[0], [1], [1]]]]
 * ```
 */
export function conv2dBackpropInput(dy: Tensor, filter: Tensor, inputShape: Shape, options?: Conv2dOptions): Tensor {
  const op = 'conv2dBackpropInput';
  checkSameDType(op, dy, filter);
  const shape = checkShape(inputShape, op);
  const g = conv2dGeometry(shape, filter.shape, options, op);
  checkOutputGradient(dy.shape, g, g.filters, op);
  const K = g.kh * g.kw * g.channels;
  const F = g.filters;
  const M = g.batch * g.outH * g.outW;
  const dx = allocate(dy.dtype, sizeOf(shape));
  const d = flat(dy);
  const w = flat(filter);
  runPass(
    'input', g, d, w, dx,
    () => gemm(false, true, M, K, F, d.data, d.offset, F, w.data, w.offset, F, dx, 0, K, false),
    (dcols, r0, r1) => {
      gemm(false, true, r1 - r0, K, F, d.data, d.offset + r0 * F, F, w.data, w.offset, F, dcols, 0, K, false);
      patches(dx, 0, g, r0, r1, dcols, true);
    },
  );
  return new Tensor(dx, shape);
}

/**
 * The gradient of `conv2d(x, filter, options)` with respect to the filter, for an output gradient `dy`:
 * `dfilter[ky, kx, c, f] = Σ_{n, i, j} x[n, i·sh + ky·dh − padTop, j·sw + kx·dw − padLeft, c] · dy[n, i, j, f]`,
 * computed as colsᵀ · dy.
 * @throws Error when the shapes of `x`, `dy` and `filterShape` do not belong to one conv2d, or the dtypes differ.
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
 * const dy = tensor([1, 1, 1, 1], [1, 2, 2, 1]);
 * conv2dBackpropFilter(x, dy, [2, 2, 1, 1]).toArray(); // [[[[12]], [[16]]], [[[24]], [[28]]]]
 * ```
 */
export function conv2dBackpropFilter(x: Tensor, dy: Tensor, filterShape: Shape, options?: Conv2dOptions): Tensor {
  const op = 'conv2dBackpropFilter';
  checkSameDType(op, x, dy);
  const shape = checkShape(filterShape, op);
  const g = conv2dGeometry(x.shape, shape, options, op);
  checkOutputGradient(dy.shape, g, g.filters, op);
  const K = g.kh * g.kw * g.channels;
  const F = g.filters;
  const M = g.batch * g.outH * g.outW;
  const dw = allocate(x.dtype, K * F);
  const xs = flat(x);
  const d = flat(dy);
  runPass(
    'filter', g, xs, d, dw,
    () => gemm(true, false, K, F, M, xs.data, xs.offset, K, d.data, d.offset, F, dw, 0, F, false),
    (cols, r0, r1) => {
      patches(xs.data, xs.offset, g, r0, r1, cols, false);
      gemm(true, false, K, F, r1 - r0, cols, 0, K, d.data, d.offset + r0 * F, F, dw, 0, F, r0 > 0);
    },
  );
  return new Tensor(dw, shape);
}

/**
 * The shape `conv2d` gives for these operand shapes and options, `[N, outH, outW, F]`, without touching data.
 * @throws Error as `conv2d` does for shapes or options it rejects.
 * @example
 * ```ts
 * conv2dOutputShape([32, 28, 28, 16], [3, 3, 16, 32], { strides: 2, padding: 'same' }); // [32, 14, 14, 32]
 * ```
 */
export function conv2dOutputShape(xShape: Shape, filterShape: Shape, options?: Conv2dOptions): number[] {
  const g = conv2dGeometry(xShape, filterShape, options, 'conv2d');
  return [g.batch, g.outH, g.outW, g.filters];
}
