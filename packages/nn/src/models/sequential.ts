// Sequential: a model that is a plain stack of layers, each feeding the next (keras/src/models/sequential.py).
import type { DType, Shape, Tensor } from '@tapegrad/tensor';
import { Layer, type LayerConfig, type SymbolicShape } from '../layer.js';
import { type CustomObjects, deserializeLayer } from '../serialization/registry.js';
import { Model } from './model.js';

/** Options of a {@link Sequential} model. */
export interface SequentialOptions {
  /** The model's name; default 'sequential' (made unique). */
  name?: string;
  /** The dtype inputs are cast to (default float32; give the layers the same dtype). */
  dtype?: DType;
}

/**
 * A linear stack of layers. Give the first layer an `inputShape` (or `inputDim` for Dense) and the model is
 * built at once, so `summary()` works before training; otherwise it is built on its first input.
 *
 * @example
 * ```ts
 * const model = new Sequential([
 *   new Dense(50, { inputShape: [2], activation: 'relu', kernelInitializer: 'he_uniform' }),
 *   new BatchNormalization(),
 *   new Dense(1, { activation: 'sigmoid' }),
 * ]);
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
 * const history = await model.fit(x, y, { epochs: 100, batchSize: 32, validationSplit: 0.3 });
 * ```
 */
export class Sequential extends Model {
  static readonly className = 'Sequential';
  /** The layers, in order. */
  readonly layers: Layer[] = [];

  constructor(layers: readonly Layer[] = [], options: SequentialOptions = {}) {
    super({ name: options.name, dtype: options.dtype });
    for (const layer of layers) this.add(layer);
  }

  /**
   * Appends a layer. If the model's input shape is known (from the first layer's `inputShape`), the
   * layer is built right away.
   * @throws Error when a layer with the same name is already in the model, or the layer is not a Layer.
   */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new Error(`${this.name}: add() expects a Layer, got ${typeof layer}`);
    if (this.layers.some((l) => l.name === layer.name)) {
      throw new Error(`${this.name}: a layer named '${layer.name}' is already in the model; layer names must be unique`);
    }
    if (this.layers.length > 0 && layer.inputShape !== undefined) {
      throw new Error(`${this.name}: only the first layer can have an inputShape (layer '${layer.name}' has one)`);
    }
    this.layers.push(layer);
    this.built = false;
    this.builtInputShape = null;
    const first = this.layers[0].inputShape;
    if (first !== undefined) this.buildFor([null, ...first]);
  }

  /** Removes and returns the last layer. */
  pop(): Layer {
    const layer = this.layers.pop();
    if (layer === undefined) throw new Error(`${this.name}: pop() on a model without layers`);
    this.built = false;
    return layer;
  }

  /** The layer at `index`, or the one named `name`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layer = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((l) => l.name === nameOrIndex);
    if (layer === undefined) {
      throw new Error(`${this.name}: no layer ${JSON.stringify(nameOrIndex)}; layers are ${this.layers.map((l, i) => `${i}: '${l.name}'`).join(', ')}`);
    }
    return layer;
  }

  override build(inputShape: SymbolicShape): void {
    let shape = inputShape;
    for (const layer of this.layers) {
      layer.buildFor(shape);
      shape = layer.computeOutputShape(shape);
    }
  }

  override call(x: Tensor): Tensor {
    if (this.layers.length === 0) throw new Error(`${this.name}: the model has no layers`);
    let h = x;
    for (const layer of this.layers) h = layer.apply(h);
    return h;
  }

  /** Each layer checks its own input, so the error names the first layer that does not fit. */
  protected override checkInput(shape: Shape): void {
    void shape;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.layers.reduce((s, layer) => layer.computeOutputShape(s), inputShape);
  }

  protected override summaryLayers(): Layer[] {
    return this.layers;
  }

  protected override summaryOutputShapes(): SymbolicShape[] {
    return this.layerOutputShapes();
  }

  /** The shape of each layer's output for the model's input shape (batch dimension null). */
  layerOutputShapes(): SymbolicShape[] {
    if (!this.built || this.builtInputShape === null) return this.layers.map(() => []);
    const shapes: SymbolicShape[] = [];
    let s: SymbolicShape = this.builtInputShape;
    for (const layer of this.layers) {
      s = layer.computeOutputShape(s);
      shapes.push(s);
    }
    return shapes;
  }

  override getConfig(): LayerConfig {
    return { name: this.name, dtype: this.dtype, layers: this.layers.map((l) => ({ className: l.className, config: l.getConfig() })) };
  }

  /**
   * Rebuilds a Sequential from {@link getConfig}'s output, each layer through the layer registry (built-in layers,
   * those registered with `registerLayer`, or `customObjects`; a nested Sequential too).
   * @throws Error for a config without a `layers` list, or naming an unknown layer class.
   * @example `const copy = Sequential.fromConfig(model.getConfig(), { Scale })`
   */
  static fromConfig(config: LayerConfig, customObjects: CustomObjects = {}): Sequential {
    const { name, layers } = config as { name?: string; layers?: unknown };
    if (!Array.isArray(layers)) {
      throw new Error(`Sequential.fromConfig: config.layers must be a list of { className, config }, got ${JSON.stringify(layers)}`);
    }
    const objects = { Sequential, ...customObjects };
    return new Sequential(layers.map((entry) => deserializeLayer(entry, objects)), { name });
  }
}
