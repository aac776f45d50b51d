// Conv2D: the 2-D convolution layer on NHWC images, and the window geometry the pooling layers share
// (keras/src/layers/convolutional/conv2d.py, base_conv.py; keras/src/ops/operation_utils.py).
import { type Shape, type Tensor, formatShape } from '@tapegrad/tensor';
import { type Variable, add, conv2d } from '@tapegrad/autograd';
import { type ActivationFn, type ActivationIdentifier, activationName, getActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { type LayerConfig, type LayerOptions, Layer, type SymbolicShape } from '../layer.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import { serializeInitializer, serializeOptional } from '../serialize.js';

/** A size for both spatial axes (`3`) or per axis (`[height, width]`). */
export type Size2D = number | readonly [number, number];

/** How a window meets the border: 'valid' keeps windows inside the input; 'same' pads so that out = ceil(in/stride). */
export type PaddingMode = 'valid' | 'same';

/** The image layout; only 'channels_last' (NHWC) is supported. */
export type DataFormat = 'channels_last' | 'channels_first';

/**
 * A size option as a pair of positive integers.
 * @throws Error naming the layer, the option and the value otherwise.
 */
export function normalizeSize2D(value: unknown, option: string, layer: string): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (Array.isArray(pair) && pair.length === 2 && pair.every((v) => Number.isInteger(v) && v >= 1)) return [pair[0], pair[1]];
  throw new Error(`${layer}: ${option} must be a positive integer or a pair [height, width] of them, got ${JSON.stringify(value)}`);
}

/**
 * The padding option, lower-cased as Keras does ('VALID' is 'valid').
 * @throws Error naming the layer and the valid paddings otherwise.
 */
export function normalizePadding(value: unknown, layer: string): PaddingMode {
  const p = typeof value === 'string' ? value.toLowerCase() : value;
  if (p === 'valid' || p === 'same') return p;
  throw new Error(`${layer}: unknown padding ${JSON.stringify(value)}; valid paddings are 'valid' and 'same'`);
}

/**
 * The dataFormat option (null or undefined: 'channels_last', Keras's default image format).
 * @throws Error naming the layer for 'channels_first' (not supported) or an unknown format.
 */
export function checkChannelsLast(value: unknown, layer: string): 'channels_last' {
  if (value === undefined || value === null || value === 'channels_last') return 'channels_last';
  if (value === 'channels_first') {
    throw new Error(`${layer}: dataFormat 'channels_first' is not supported; tapegrad's image layers take NHWC inputs ('channels_last')`);
  }
  throw new Error(`${layer}: unknown dataFormat ${JSON.stringify(value)}; the supported format is 'channels_last' (NHWC)`);
}

/**
 * The output length along one spatial axis by Keras's rules, with effective window ke = (k-1)·d + 1:
 * 'valid' gives floor((in - ke)/s) + 1, 'same' gives ceil(in/s). An unknown length stays unknown (null).
 * @throws Error naming `where` when a 'valid' window does not fit (the output would be empty).
 * @example `windowOutputLength(5, 3, 2, 1, 'valid', 'conv2d')` is 2
 */
export function windowOutputLength(size: number | null, kernel: number, stride: number, dilation: number, padding: PaddingMode, where: string): number | null {
  if (size === null) return null;
  if (padding === 'same') return Math.ceil(size / stride);
  const ke = (kernel - 1) * dilation + 1;
  const out = Math.floor((size - ke) / stride) + 1;
  if (out < 1) {
    const eff = dilation > 1 ? ` (effective size ${ke} with dilation ${dilation})` : '';
    throw new Error(`${where}: with padding 'valid' a window of ${kernel}${eff} does not fit in a spatial size of ${size}; use a smaller window or padding 'same'`);
  }
  return out;
}

/** Options of {@link Conv2D}: Keras's keyword arguments in camelCase, with Keras's defaults. */
export interface Conv2DOptions extends LayerOptions {
  /** Step of the window, a number or [height, width]; default 1. */
  strides?: Size2D;
  /** 'valid' (default) or 'same'. */
  padding?: PaddingMode;
  /** Only 'channels_last' (NHWC; the default, also for null). */
  dataFormat?: DataFormat | null;
  /** Spacing between the filter's taps; default 1. Not together with strides > 1. */
  dilationRate?: Size2D;
  /** Only 1 is supported. */
  groups?: number;
  /** Applied to the output; default none (linear). */
  activation?: ActivationIdentifier | null;
  /** Whether to add a bias per filter; default true. */
  useBias?: boolean;
  /** Default 'glorot_uniform' (fans include the receptive field kh·kw). */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/**
 * A 2-D convolution over NHWC images (Keras `layers.Conv2D`):
 * y[n, i, j, f] = activation(Σ_{ky,kx,c} x[n, i·sh + ky·dh - padTop, j·sw + kx·dw - padLeft, c]·kernel[ky, kx, c, f] + bias[f]).
 * The kernel has shape [kh, kw, inChannels, filters], the bias [filters]. Output sizes follow Keras: with
 * ke = (k-1)·d + 1, 'valid' gives floor((in - ke)/s) + 1 and 'same' gives ceil(in/s), padding
 * max((out-1)·s + ke - in, 0) cells split with the odd one at the bottom/right.
 *
 * Porting notes: only `dataFormat: 'channels_last'` and `groups: 1` are supported (others raise); as in
 * Keras's input spec only the rank (4) and the channel count are checked on later calls, so the image size may change.
 *
 * @example
 * ```ts
 * const conv = new Conv2D(16, 3, { padding: 'same', activation: 'relu', inputShape: [28, 28, 1] });
 * conv.apply(zeros([8, 28, 28, 1])).shape; // [8, 28, 28, 16]
 * ```
 */
export class Conv2D extends Layer {
  static readonly className = 'Conv2D';
  /** The number of filters (output channels). */
  readonly filters: number;
  /** The window, [height, width]. */
  readonly kernelSize: [number, number];
  /** The steps, [height, width]. */
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  /** The dilation, [height, width]. */
  readonly dilationRate: [number, number];
  readonly useBias: boolean;
  /** The kernel, [kh, kw, inChannels, filters] (after build). */
  kernel!: Variable;
  /** The bias, [filters] (after build; null without useBias). */
  bias: Variable | null = null;
  private readonly activation: ActivationFn;
  private readonly activationId: ActivationIdentifier | null;
  private readonly options: Conv2DOptions;

  /** @throws Error naming the option and the value for anything Keras rejects or tapegrad does not support. */
  constructor(filters: number, kernelSize: Size2D, options: Conv2DOptions = {}) {
    super(options);
    if (!(Number.isInteger(filters) && filters >= 1)) throw new Error(`Conv2D: filters must be a positive integer, got ${filters}`);
    this.filters = filters;
    this.kernelSize = normalizeSize2D(kernelSize, 'kernelSize', 'Conv2D');
    this.strides = normalizeSize2D(options.strides ?? 1, 'strides', 'Conv2D');
    this.dilationRate = normalizeSize2D(options.dilationRate ?? 1, 'dilationRate', 'Conv2D');
    this.padding = normalizePadding(options.padding ?? 'valid', 'Conv2D');
    checkChannelsLast(options.dataFormat, 'Conv2D');
    const groups = options.groups ?? 1;
    if (groups !== 1) throw new Error(`Conv2D: groups ${JSON.stringify(groups)} is not supported; only groups 1 (a full convolution) is`);
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new Error(
        `Conv2D: strides > 1 is not supported together with dilationRate > 1 (as in Keras); got strides [${this.strides.join(', ')}] ` +
          `and dilationRate [${this.dilationRate.join(', ')}]`,
      );
    }
    this.useBias = options.useBias ?? true;
    this.activationId = options.activation ?? null;
    try {
      this.activation = getActivation(this.activationId);
    } catch (e) {
      throw new Error(`Conv2D: ${(e as Error).message}`);
    }
    this.options = options;
  }

  override build(inputShape: SymbolicShape): void {
    const channels = inputShape[3];
    if (inputShape.length !== 4 || channels === null || channels === undefined) {
      throw new Error(
        `${this.name} (Conv2D): expected an input of rank 4 (batch, height, width, channels) with known channels, ` +
          `got (${inputShape.map((d) => d ?? 'None').join(', ')})`,
      );
    }
    this.computeOutputShape(inputShape); // a 'valid' window too large for the image fails here, naming the layer
    const o = this.options;
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels, this.filters], {
      initializer: o.kernelInitializer ?? 'glorot_uniform',
      regularizer: o.kernelRegularizer,
      constraint: o.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.filters], {
        initializer: o.biasInitializer ?? 'zeros',
        regularizer: o.biasRegularizer,
        constraint: o.biasConstraint,
      });
    }
  }

  override call(x: Tensor): Tensor {
    const y = conv2d(x, this.kernel, { strides: this.strides, padding: this.padding, dilation: this.dilationRate });
    return this.activation(this.bias === null ? y : add(y, this.bias));
  }

  /** Rank 4 and the built channel count, as Keras's input spec; the image size may differ from the build's. */
  protected override checkInput(shape: Shape): void {
    const channels = this.builtInputShape?.[3];
    if (shape.length !== 4 || shape[3] !== channels) {
      throw new Error(`${this.name} (Conv2D): expected an input (batch, height, width, ${channels}), got ${formatShape(shape)}`);
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) {
      throw new Error(`${this.name} (Conv2D): expected an input shape of rank 4 (batch, height, width, channels), got (${inputShape.map((d) => d ?? 'None').join(', ')})`);
    }
    const where = `${this.name} (Conv2D)`;
    const [kh, kw] = this.kernelSize;
    const outH = windowOutputLength(inputShape[1], kh, this.strides[0], this.dilationRate[0], this.padding, where);
    const outW = windowOutputLength(inputShape[2], kw, this.strides[1], this.dilationRate[1], this.padding, where);
    return [inputShape[0], outH, outW, this.filters];
  }

  /**
   * The config, the activation saved by its Keras name (a user's function by its own name).
   * @throws Error for an anonymous activation function, which no config can name.
   */
  override getConfig(): LayerConfig {
    const o = this.options;
    const id = this.activationId;
    const activation = id === null ? 'linear' : typeof id === 'string' ? (activationName(this.activation) ?? id) : (activationName(id) ?? id.name);
    if (activation === '') {
      throw new Error(`${this.name} (Conv2D): getConfig cannot name an anonymous activation function; use a Keras name or a named function`);
    }
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channels_last',
      dilationRate: [...this.dilationRate],
      groups: 1,
      activation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(o.kernelInitializer ?? 'glorot_uniform'),
      biasInitializer: serializeInitializer(o.biasInitializer ?? 'zeros'),
      kernelRegularizer: serializeOptional(o.kernelRegularizer),
      biasRegularizer: serializeOptional(o.biasRegularizer),
      kernelConstraint: serializeOptional(o.kernelConstraint),
      biasConstraint: serializeOptional(o.biasConstraint),
    };
  }

  /** Rebuilds a Conv2D layer from {@link getConfig}'s output. */
  static fromConfig(config: LayerConfig): Conv2D {
    const { filters, kernelSize, ...rest } = config as unknown as Conv2DOptions & { filters: number; kernelSize: Size2D };
    return new Conv2D(filters, kernelSize, rest);
  }
}
