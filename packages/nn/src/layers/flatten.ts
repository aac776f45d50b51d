// Flatten: each sample to one vector, row-major (keras/src/layers/reshaping/flatten.py).
import { type Shape, type Tensor, sizeOf } from '@tapegrad/tensor';
import { reshape, transpose } from '@tapegrad/autograd';
import { type LayerConfig, type LayerOptions, Layer, type SymbolicShape } from '../layer.js';

/** Options of {@link Flatten}. */
export interface FlattenOptions extends LayerOptions {
  /**
   * Layout of image inputs: 'channels_last' (default; NHWC) flattens as stored; 'channels_first' moves the
   * channel axis last first, so both layouts give the same vector (Keras's `data_format`).
   */
  dataFormat?: 'channels_last' | 'channels_first' | null;
}

/**
 * Flattens each sample (Keras `layers.Flatten`): (N, d1, ..., dk) → (N, d1·…·dk), in row-major order, so an
 * NHWC image gives its channels fastest; a rank-1 input (N) gives (N, 1). The batch axis is kept.
 *
 * Porting note: like Keras (input spec `min_ndim=1`) the layer accepts any sample shape on every call.
 *
 * @example
 * ```ts
 * const flatten = new Flatten();
 * flatten.apply(zeros([32, 5, 5, 16])).shape; // [32, 400]
 * ```
 */
export class Flatten extends Layer {
  static readonly className = 'Flatten';
  /** 'channels_last' or 'channels_first'. */
  readonly dataFormat: 'channels_last' | 'channels_first';

  /** @throws Error naming the value for an unknown dataFormat. */
  constructor(options: FlattenOptions = {}) {
    super(options);
    const format = options.dataFormat ?? 'channels_last';
    if (format !== 'channels_last' && format !== 'channels_first') {
      throw new Error(`Flatten: unknown dataFormat ${JSON.stringify(format)}; valid formats are 'channels_last' and 'channels_first'`);
    }
    this.dataFormat = format;
  }

  override call(x: Tensor): Tensor {
    const rank = x.rank;
    const h = this.dataFormat === 'channels_first' && rank > 2 ? transpose(x, [0, ...range(2, rank), 1]) : x;
    return reshape(h, [x.shape[0], sizeOf(x.shape.slice(1))]); // rank 1: the product of nothing is 1
  }

  /** Any sample shape is accepted (Keras checks only that there is a batch axis). */
  protected override checkInput(shape: Shape): void {
    void shape;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    const known = rest.every((d) => d !== null);
    return [inputShape[0], known ? rest.reduce<number>((p, d) => p * (d as number), 1) : null];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }

  /** Rebuilds the layer from {@link getConfig}'s output. */
  static fromConfig(config: LayerConfig): Flatten {
    return new Flatten(config as FlattenOptions);
  }
}

function range(start: number, stop: number): number[] {
  return Array.from({ length: stop - start }, (_, i) => start + i);
}
