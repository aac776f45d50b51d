// 2-D max and average pooling on NHWC inputs, with their backward kernels; padding and sizes as in Keras.
//
// Each loop walks the output pixels; for one pixel it visits the real (unpadded) cells of the window in
// row-major order and, for each cell, the C channels, which lie next to each other in memory.
import { type TypedArray, allocate } from '../dtype.js';
import { type Shape, checkShape } from '../shape.js';
import { copyToContiguous } from '../strided.js';
import { Tensor } from '../tensor.js';
import { type Pool2dOptions, type Window2dGeometry, checkOutputGradient, pool2dGeometry } from './conv-geometry.js';
import { checkSameDType } from './elementwise.js';

/** Row-major data of a tensor: its own storage when contiguous, else a contiguous copy. */
function flat(t: Tensor): { data: TypedArray; offset: number } {
  return t.isContiguous ? { data: t.data, offset: t.offset } : { data: copyToContiguous(t), offset: 0 };
}

/** The window of output pixel (oy, ox), clipped to the input: rows y0 ≤ iy < y1, columns x0 ≤ ix < x1. */
interface Window {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

function clipWindow(g: Window2dGeometry, oy: number, ox: number, w: Window): void {
  const top = oy * g.sh - g.padTop;
  const left = ox * g.sw - g.padLeft;
  w.y0 = Math.max(0, top);
  w.y1 = Math.min(g.inH, top + g.kh);
  w.x0 = Math.max(0, left);
  w.x1 = Math.min(g.inW, left + g.kw);
}

/**
 * For every output cell, the index (in row-major NHWC order) of the input cell that wins its window:
 * the largest value, the first in row-major window order on ties. Every window holds a real cell, since
 * 'same' padding is always smaller than the window; padded cells never win.
 */
function argmaxWindows(x: TypedArray, xOff: number, g: Window2dGeometry): Int32Array {
  const { batch, inH, inW, channels: C, outH, outW } = g;
  const arg = new Int32Array(batch * outH * outW * C);
  const best = new Float64Array(C);
  const w: Window = { y0: 0, y1: 0, x0: 0, x1: 0 };
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, o += C) {
        clipWindow(g, oy, ox, w);
        let first = true;
        for (let iy = w.y0; iy < w.y1; iy++) {
          for (let ix = w.x0; ix < w.x1; ix++) {
            const cell = ((n * inH + iy) * inW + ix) * C;
            const xb = xOff + cell;
            if (first) {
              for (let c = 0; c < C; c++) {
                best[c] = x[xb + c];
                arg[o + c] = cell + c;
              }
              first = false;
            } else {
              for (let c = 0; c < C; c++) {
                const v = x[xb + c];
                if (v > best[c]) {
                  best[c] = v;
                  arg[o + c] = cell + c;
                }
              }
            }
          }
        }
      }
    }
  }
  return arg;
}

/**
 * 2-D max pooling of an NHWC input: `y[n, i, j, c] = max x[n, i·sh + a − padTop, j·sw + b − padLeft, c]` over the
 * window cells (a < poolH, b < poolW) inside the input; padded cells never win. Output `[N, outH, outW, C]` with
 * sizes and padding by Keras's rule (`pool2dGeometry`). `poolSize` defaults to 2 and `strides` to `poolSize`.
 * NaN inputs are not treated specially: a NaN wins only when it is the first cell of its window.
 * @throws Error for a rank other than 4, bad options, or a 'valid' window larger than the input.
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
 * maxPool2d(x).toArray();                      // [[[[5]]]]
 * maxPool2d(x, { padding: 'same' }).toArray(); // [[[[5], [6]], [[8], [9]]]]
 * ```
 */
export function maxPool2d(x: Tensor, options?: Pool2dOptions): Tensor {
  const g = pool2dGeometry(x.shape, options, 'maxPool2d');
  const xs = flat(x);
  const arg = argmaxWindows(xs.data, xs.offset, g);
  const out = allocate(x.dtype, arg.length);
  for (let i = 0; i < arg.length; i++) out[i] = xs.data[xs.offset + arg[i]];
  return new Tensor(out, [g.batch, g.outH, g.outW, g.channels]);
}

/**
 * The gradient of `maxPool2d(x, options)` with respect to `x`: each output gradient `dy[n, i, j, c]` goes to the
 * cell that won its window, summed where windows overlap; every other cell gets 0. On ties the first maximum in
 * row-major window order (top row first, then left to right) takes the whole gradient: our documented choice,
 * since Keras leaves tie-breaking to the backend's kernel.
 * @throws Error when `dy` does not have the output shape of `maxPool2d(x, options)` or the dtypes differ.
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
 * maxPool2dBackward(tensor([10], [1, 1, 1, 1]), x).toArray(); // 10 at the 5, 0 elsewhere
 * ```
 */
export function maxPool2dBackward(dy: Tensor, x: Tensor, options?: Pool2dOptions): Tensor {
  const op = 'maxPool2dBackward';
  checkSameDType(op, dy, x);
  const g = pool2dGeometry(x.shape, options, op);
  checkOutputGradient(dy.shape, g, g.channels, op);
  const xs = flat(x);
  const d = flat(dy);
  const arg = argmaxWindows(xs.data, xs.offset, g);
  const dx = allocate(x.dtype, x.size);
  for (let i = 0; i < arg.length; i++) dx[arg[i]] += d.data[d.offset + i];
  return new Tensor(dx, x.shape);
}

/**
 * 2-D average pooling of an NHWC input: the mean of the window cells inside the input. With 'same' padding the
 * divisor counts only those real cells, not the padding (TensorFlow's rule). Output `[N, outH, outW, C]`.
 * @throws Error for a rank other than 4, bad options, or a 'valid' window larger than the input.
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
 * avgPool2d(x).toArray();                      // [[[[3]]]]            (1+2+4+5)/4
 * avgPool2d(x, { padding: 'same' }).toArray(); // [[[[3], [4.5]], [[7.5], [9]]]]
 * ```
 */
export function avgPool2d(x: Tensor, options?: Pool2dOptions): Tensor {
  const g = pool2dGeometry(x.shape, options, 'avgPool2d');
  const { batch, inH, inW, channels: C, outH, outW } = g;
  const xs = flat(x);
  const src = xs.data;
  const out = allocate(x.dtype, batch * outH * outW * C);
  const sum = new Float64Array(C);
  const w: Window = { y0: 0, y1: 0, x0: 0, x1: 0 };
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, o += C) {
        clipWindow(g, oy, ox, w);
        sum.fill(0);
        for (let iy = w.y0; iy < w.y1; iy++) {
          for (let ix = w.x0; ix < w.x1; ix++) {
            const xb = xs.offset + ((n * inH + iy) * inW + ix) * C;
            for (let c = 0; c < C; c++) sum[c] += src[xb + c];
          }
        }
        const count = (w.y1 - w.y0) * (w.x1 - w.x0);
        for (let c = 0; c < C; c++) out[o + c] = sum[c] / count;
      }
    }
  }
  return new Tensor(out, [batch, outH, outW, C]);
}

/**
 * The gradient of `avgPool2d(x, options)` with respect to an input of shape `inputShape`: each output gradient is
 * shared equally among the real cells of its window, `dx[cell] += dy[n, i, j, c] / count(window)`, summed over
 * the windows that contain the cell.
 * @throws Error when `dy` does not have the output shape of `avgPool2d` on `inputShape` with `options`.
 * @example
 * ```ts
 * avgPool2dBackward(tensor([8], [1, 1, 1, 1]), [1, 2, 2, 1]).toArray(); // [[[[2], [2]], [[2], [2]]]]
 * ```
 */
export function avgPool2dBackward(dy: Tensor, inputShape: Shape, options?: Pool2dOptions): Tensor {
  const op = 'avgPool2dBackward';
  const shape = checkShape(inputShape, op);
  const g = pool2dGeometry(shape, options, op);
  checkOutputGradient(dy.shape, g, g.channels, op);
  const { batch, inH, inW, channels: C, outH, outW } = g;
  const d = flat(dy);
  const dx = allocate(dy.dtype, batch * inH * inW * C);
  const share = new Float64Array(C);
  const w: Window = { y0: 0, y1: 0, x0: 0, x1: 0 };
  let o = d.offset;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, o += C) {
        clipWindow(g, oy, ox, w);
        const count = (w.y1 - w.y0) * (w.x1 - w.x0);
        for (let c = 0; c < C; c++) share[c] = d.data[o + c] / count;
        for (let iy = w.y0; iy < w.y1; iy++) {
          for (let ix = w.x0; ix < w.x1; ix++) {
            const xb = ((n * inH + iy) * inW + ix) * C;
            for (let c = 0; c < C; c++) dx[xb + c] += share[c];
          }
        }
      }
    }
  }
  return new Tensor(dx, shape);
}

/**
 * The shape a 2-D pooling gives for an NHWC input shape and options, `[N, outH, outW, C]`, without touching data.
 * @throws Error as the poolings do for shapes or options they reject.
 * @example
 * ```ts
 * pool2dOutputShape([64, 8, 8, 16], { poolSize: 2 });                  // [64, 4, 4, 16]
 * pool2dOutputShape([1, 5, 5, 3], { poolSize: 3, strides: 2, padding: 'same' }); // [1, 3, 3, 3]
 * ```
 */
export function pool2dOutputShape(xShape: Shape, options?: Pool2dOptions): number[] {
  const g = pool2dGeometry(xShape, options, 'pool2d');
  return [g.batch, g.outH, g.outW, g.channels];
}
