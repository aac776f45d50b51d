// Geometry shared by conv2d and the poolings: option normalization, output sizes and Keras's 'valid'/'same' padding.
import { type Shape, formatShape } from '../shape.js';

/** How a window meets the border: 'valid' keeps only windows inside the input; 'same' pads so that out = ceil(in/stride). */
export type Padding = 'valid' | 'same';

/** The paddings `checkPadding` accepts, in the order error messages list them. */
export const PADDINGS: readonly Padding[] = ['valid', 'same'];

/** A size given for both spatial axes at once (`3`) or per axis (`[height, width]`). */
export type Size2d = number | readonly [number, number];

/** Options of conv2d and its backward kernels (Keras `Conv2D` names, camelCase). */
export interface Conv2dOptions {
  /** Step of the window in [height, width] (default 1). */
  strides?: Size2d;
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
  /** Spacing between filter taps in [height, width] (default 1); Keras's `dilation_rate`. */
  dilation?: Size2d;
}

/** Options of the 2-D poolings (Keras `MaxPooling2D` / `AveragePooling2D` names, camelCase). */
export interface Pool2dOptions {
  /** Window size in [height, width] (default 2). */
  poolSize?: Size2d;
  /** Step of the window (default: `poolSize`). */
  strides?: Size2d;
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
}

/** The placement of a window along one spatial axis. */
export interface AxisGeometry {
  /** Number of output positions. */
  out: number;
  /** Padding cells before the first input cell (top or left). */
  padBefore: number;
  /** Padding cells after the last input cell (bottom or right); holds the odd cell. */
  padAfter: number;
}

/**
 * Everything a 2-D windowed kernel needs: input `[batch, inH, inW, channels]`, window `kh × kw` with steps `sh, sw`
 * and dilations `dh, dw`, output `[batch, outH, outW, ·]`, and the top/left padding.
 */
export interface Window2dGeometry {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  outH: number;
  outW: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
}

/** {@link Window2dGeometry} plus the number of filters (output channels) of a convolution. */
export interface Conv2dGeometry extends Window2dGeometry {
  filters: number;
}

/**
 * Reads a size given as one positive integer or a pair `[h, w]` of them.
 * @throws Error naming `op` and `name` for anything else.
 * @example
 * ```ts
 * normalizeSize2d(3, 'strides', 'conv2d');      // [3, 3]
 * normalizeSize2d([2, 1], 'strides', 'conv2d'); // [2, 1]
 * ```
 */
export function normalizeSize2d(value: unknown, name: string, op: string): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (Array.isArray(pair) && pair.length === 2 && pair.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
    return [pair[0] as number, pair[1] as number];
  }
  const shown = Array.isArray(value) ? `[${value.map(String).join(', ')}]` : String(value);
  throw new Error(`${op}: ${name} must be a positive integer or a pair [height, width] of them, got ${shown}`);
}

/**
 * Checks a padding option (`undefined` means 'valid').
 * @throws Error naming `op` and listing the valid paddings otherwise.
 */
export function checkPadding(padding: unknown, op: string): Padding {
  if (padding === undefined) return 'valid';
  if (padding === 'valid' || padding === 'same') return padding;
  const valid = PADDINGS.map((p) => `'${p}'`).join(' and ');
  throw new Error(`${op}: unknown padding ${JSON.stringify(padding)}; valid paddings are ${valid}`);
}

/**
 * Output size and padding along one axis, by Keras's rule with effective kernel `ke = (k-1)*d + 1`:
 * 'valid' gives `floor((in - ke)/s) + 1` (must be ≥ 1) and no padding; 'same' gives `ceil(in/s)` with
 * `total = max((out-1)*s + ke - in, 0)`, `before = floor(total/2)` and the odd cell after.
 * @throws Error naming `op` when a 'valid' window does not fit in the input.
 * @example
 * ```ts
 * windowAxis(6, 3, 2, 1, 'same', 'conv2d', 'height'); // { out: 3, padBefore: 0, padAfter: 1 }
 * windowAxis(5, 3, 2, 1, 'valid', 'conv2d', 'height'); // { out: 2, padBefore: 0, padAfter: 0 }
 * ```
 */
export function windowAxis(
  size: number, kernel: number, stride: number, dilation: number, padding: Padding, op: string, axis: string,
): AxisGeometry {
  const ke = (kernel - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + ke - size, 0);
    const padBefore = Math.floor(total / 2);
    return { out, padBefore, padAfter: total - padBefore };
  }
  const out = Math.floor((size - ke) / stride) + 1;
  if (out < 1) {
    const eff = dilation > 1 ? ` (effective size ${ke} with dilation ${dilation})` : '';
    throw new Error(
      `${op}: with padding 'valid' the window of ${axis} ${kernel}${eff} does not fit in the input ${axis} ${size}; ` +
        `use a window of at most ${size} or padding 'same'`,
    );
  }
  return { out, padBefore: 0, padAfter: 0 };
}

function checkRank4(shape: Shape, what: string, layout: string, op: string): void {
  if (shape.length !== 4) {
    throw new Error(`${op}: ${what} must have rank 4 ${layout}, got shape ${formatShape(shape)} (rank ${shape.length})`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: ${what} shape ${formatShape(shape)} must have non-negative integer dimensions ${layout}`);
    }
  }
}

function window2d(
  inShape: Shape, kh: number, kw: number, strides: [number, number], dilation: [number, number], padding: Padding, op: string,
): Window2dGeometry {
  const [batch, inH, inW, channels] = inShape;
  const rows = windowAxis(inH, kh, strides[0], dilation[0], padding, op, 'height');
  const cols = windowAxis(inW, kw, strides[1], dilation[1], padding, op, 'width');
  return {
    batch, inH, inW, channels, kh, kw, sh: strides[0], sw: strides[1], dh: dilation[0], dw: dilation[1],
    outH: rows.out, outW: cols.out,
    padTop: rows.padBefore, padBottom: rows.padAfter, padLeft: cols.padBefore, padRight: cols.padAfter,
  };
}

/**
 * The geometry of `conv2d(x, filter, options)` for an NHWC input shape and an HWIO filter shape.
 * Output `[N, outH, outW, F]` with each spatial size given by {@link windowAxis}.
 * @throws Error naming `op` for wrong ranks, a channel mismatch, bad options, strides > 1 together with
 * dilation > 1 (Keras raises), or a 'valid' output smaller than 1.
 * @example
 * ```ts
 * const g = conv2dGeometry([64, 8, 8, 1], [3, 3, 1, 16], { padding: 'same' }, 'conv2d');
 * [g.outH, g.outW, g.padTop, g.padBottom]; // [8, 8, 1, 1]
 * ```
 */
export function conv2dGeometry(xShape: Shape, filterShape: Shape, options: Conv2dOptions | undefined, op: string): Conv2dGeometry {
  checkRank4(xShape, 'the input', '[batch, height, width, channels]', op);
  checkRank4(filterShape, 'the filter', '[kernelHeight, kernelWidth, inChannels, filters]', op);
  const strides = normalizeSize2d(options?.strides ?? 1, 'strides', op);
  const dilation = normalizeSize2d(options?.dilation ?? 1, 'dilation', op);
  const padding = checkPadding(options?.padding, op);
  if (Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
    throw new Error(
      `${op}: strides [${strides.join(', ')}] > 1 together with dilation [${dilation.join(', ')}] > 1 is not supported ` +
        '(Keras raises too); use strides 1 or dilation 1',
    );
  }
  const [kh, kw, fc, filters] = filterShape;
  if (kh < 1 || kw < 1) {
    throw new Error(`${op}: the filter shape ${formatShape(filterShape)} has an empty window; kernel sizes must be >= 1`);
  }
  if (fc !== xShape[3]) {
    throw new Error(
      `${op}: the input has ${xShape[3]} channels (shape ${formatShape(xShape)}) but the filter expects ${fc} ` +
        `(shape ${formatShape(filterShape)}); filter dimension 2 must equal input dimension 3`,
    );
  }
  return { ...window2d(xShape, kh, kw, strides, dilation, padding, op), filters };
}

/**
 * The geometry of a 2-D pooling of an NHWC input: window `poolSize` (default 2), steps `strides`
 * (default `poolSize`), sizes and padding as for a convolution with `ke = poolSize`.
 * @throws Error naming `op` for a wrong rank, bad options or a 'valid' output smaller than 1.
 * @example
 * ```ts
 * const g = pool2dGeometry([1, 5, 5, 3], { poolSize: 2, padding: 'same' }, 'maxPool2d');
 * [g.outH, g.padTop, g.padBottom]; // [3, 0, 1]
 * ```
 */
export function pool2dGeometry(xShape: Shape, options: Pool2dOptions | undefined, op: string): Window2dGeometry {
  checkRank4(xShape, 'the input', '[batch, height, width, channels]', op);
  const poolSize = normalizeSize2d(options?.poolSize ?? 2, 'poolSize', op);
  const strides = normalizeSize2d(options?.strides ?? poolSize, 'strides', op);
  const padding = checkPadding(options?.padding, op);
  return window2d(xShape, poolSize[0], poolSize[1], strides, [1, 1], padding, op);
}

/**
 * Checks that an output gradient has the shape `[batch, outH, outW, channels]` the geometry predicts.
 * @throws Error naming `op` and both shapes otherwise.
 */
export function checkOutputGradient(dyShape: Shape, g: Window2dGeometry, channels: number, op: string): void {
  const want = [g.batch, g.outH, g.outW, channels];
  if (dyShape.length !== 4 || want.some((d, i) => d !== dyShape[i])) {
    throw new Error(`${op}: the output gradient has shape ${formatShape(dyShape)}; this geometry needs ${formatShape(want)}`);
  }
}
