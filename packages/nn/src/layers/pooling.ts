// MaxPooling2D and AveragePooling2D: window maxima and means over NHWC images (keras/src/layers/pooling/).
import { type Shape, type Tensor, formatShape } from '@tapegrad/tensor';
import { avgPool2d, maxPool2d } from '@tapegrad/autograd';
import { type LayerConfig, type LayerOptions, Layer, type SymbolicShape } from '../layer.js';
import { type DataFormat, type PaddingMode, type Size2D, checkChannelsLast, normalizePadding, normalizeSize2D, windowOutputLength } from './conv2d.js';

/** Options of the 2-D pooling layers: Keras's arguments, camelCased, with Keras's defaults. */
export interface Pooling2DOptions extends LayerOptions {
  /** The window, a number or [height, width]; default 2. */
  poolSize?: Size2D;
  /** Step of the window; default null: the pool size (non-overlapping windows). */
  strides?: Size2D | null;
  /** 'valid' (default) or 'same'. */
  padding?: PaddingMode;
  /** Only 'channels_last' (NHWC; the default, also for null). */
  dataFormat?: DataFormat | null;
}

/**
 * What MaxPooling2D and AveragePooling2D share (Keras `BasePooling`): options, output shape and input checks.
 * Sizes as for a convolution with the window as kernel: 'valid' floor((in - pool)/s) + 1, 'same' ceil(in/s)
 * with the odd padding cell at the bottom/right. No weights.
 */
export abstract class Pooling2D extends Layer {
  /** The window, [height, width]. */
  readonly poolSize: [number, number];
  /** The steps, [height, width]. */
  readonly strides: [number, number];
  readonly padding: PaddingMode;

  /** @throws Error naming the layer, the option and the value for a malformed option or 'channels_first'. */
  constructor(options: Pooling2DOptions = {}) {
    super(options);
    const layer = (new.target as unknown as { className: string }).className;
    this.poolSize = normalizeSize2D(options.poolSize ?? 2, 'poolSize', layer);
    this.strides = normalizeSize2D(options.strides ?? this.poolSize, 'strides', layer);
    this.padding = normalizePadding(options.padding ?? 'valid', layer);
    checkChannelsLast(options.dataFormat, layer);
  }

  /** The options every pooling kernel takes. */
  protected get poolOptions(): { poolSize: [number, number]; strides: [number, number]; padding: PaddingMode } {
    return { poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }

  override build(inputShape: SymbolicShape): void {
    this.computeOutputShape(inputShape); // checks the rank, and that a 'valid' window fits
  }

  /** Rank 4, as Keras's input spec; sizes may change from call to call. */
  protected override checkInput(shape: Shape): void {
    if (shape.length !== 4) {
      throw new Error(`${this.name} (${this.className}): expected an input of rank 4 (batch, height, width, channels), got ${formatShape(shape)}`);
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const where = `${this.name} (${this.className})`;
    if (inputShape.length !== 4) {
      throw new Error(`${where}: expected an input shape of rank 4 (batch, height, width, channels), got (${inputShape.map((d) => d ?? 'None').join(', ')})`);
    }
    const [ph, pw] = this.poolSize;
    const outH = windowOutputLength(inputShape[1], ph, this.strides[0], 1, this.padding, where);
    const outW = windowOutputLength(inputShape[2], pw, this.strides[1], 1, this.padding, where);
    return [inputShape[0], outH, outW, inputShape[3]];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding, dataFormat: 'channels_last' };
  }
}

/**
 * Max pooling over NHWC images (Keras `layers.MaxPooling2D`): y[n, i, j, c] = max of x[n, ·, ·, c] over the
 * window at (i·sh - padTop, j·sw - padLeft) of size poolSize; padded cells never win. The gradient goes to
 * each window's maximum (the first in row-major window order on ties), summed over overlapping windows.
 * Once-differentiable (a second derivative through it raises).
 *
 * @example
 * ```ts
 * const pool = new MaxPooling2D();                  // 2×2 windows, stride 2
 * pool.apply(zeros([8, 28, 28, 16])).shape;          // [8, 14, 14, 16]
 * ```
 */
export class MaxPooling2D extends Pooling2D {
  static readonly className = 'MaxPooling2D';

  override call(x: Tensor): Tensor {
    return maxPool2d(x, this.poolOptions);
  }

  /** Rebuilds the layer from {@link getConfig}'s output. */
  static fromConfig(config: LayerConfig): MaxPooling2D {
    return new MaxPooling2D(config as Pooling2DOptions);
  }
}

/**
 * Average pooling over NHWC images (Keras `layers.AveragePooling2D`): y[n, i, j, c] = the mean of x[n, ·, ·, c]
 * over the window's real cells; with 'same' padding the divisor counts only real cells (TensorFlow's rule).
 * Linear, so differentiable to any order.
 *
 * @example
 * ```ts
 * const pool = new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same' });
 * pool.apply(zeros([8, 28, 28, 16])).shape;          // [8, 28, 28, 16]
 * ```
 */
export class AveragePooling2D extends Pooling2D {
  static readonly className = 'AveragePooling2D';

  override call(x: Tensor): Tensor {
    return avgPool2d(x, this.poolOptions);
  }

  /** Rebuilds the layer from {@link getConfig}'s output. */
  static fromConfig(config: LayerConfig): AveragePooling2D {
    return new AveragePooling2D(config as Pooling2DOptions);
  }
}
