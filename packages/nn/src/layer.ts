// Layer: the base class of every layer. Weights are made lazily in build(); the math lives in call().
import { type DType, type Shape, Tensor, formatShape, zeros } from '@tapegrad/tensor';
import { Variable, cast, noGrad } from '@tapegrad/autograd';
import { type Constraint, type ConstraintIdentifier, getConstraint } from './constraints.js';
import { type InitializerIdentifier, getInitializer } from './initializers.js';
import { snakeCaseClassName, uniqueName } from './names.js';
import { type Regularizer, type RegularizerIdentifier, getRegularizer } from './regularizers.js';

/** A shape whose batch dimension may be unknown (`null`), as Keras's `(None, 50)`. */
export type SymbolicShape = readonly (number | null)[];

/** Options of a layer call. */
export interface CallOptions {
  /**
   * Training mode (batch statistics, dropout on) or inference. Resolved as Keras does: the value given to this
   * call, else the value of the enclosing call (a model's fit, predict or call), else false.
   */
  training?: boolean;
}

/** Options every layer accepts. */
export interface LayerOptions {
  /** The layer's name; default the snake_case class name made unique (`dense`, `dense_1`, ...). */
  name?: string;
  /** Whether its weights are trained; default true. */
  trainable?: boolean;
  /** Element type of its weights and outputs; default float32 ('float64' for gradient checks). */
  dtype?: DType;
  /** Shape of one sample (no batch axis), on a model's first layer: `inputShape: [2]`. */
  inputShape?: readonly number[];
  /**
   * A penalty on the layer's output, added to the loss of the batch that computed it, in training and in
   * evaluation (Keras 3's `activity_regularizer`: not divided by the batch size, unlike tf.keras 2).
   */
  activityRegularizer?: RegularizerIdentifier | null;
}

/** Options of {@link Layer.addWeight}. */
export interface AddWeightOptions {
  /** How to fill the weight; default 'glorot_uniform' (Keras). */
  initializer?: InitializerIdentifier;
  /** Whether optimizers update it; default true. */
  trainable?: boolean;
  /** A penalty added to the training loss. */
  regularizer?: RegularizerIdentifier | null;
  /** A projection applied after each optimizer step. */
  constraint?: ConstraintIdentifier | null;
  /** Element type; default the layer's dtype. */
  dtype?: DType;
}

/** The JSON-able configuration of a layer: enough to rebuild it with `fromConfig`. */
export type LayerConfig = { [key: string]: unknown };

// The training flag of the enclosing layer or model call, so nested layers inherit it (Keras's call context).
const trainingStack: boolean[] = [];
// True while computeOutputShape runs a layer on a probe input, whose activity penalty must not count.
let probing = false;
// Counts the changes that can change a weight list: a weight made, a layer's trainable flag set.
let weightListVersion = 0;

/**
 * A number that changes whenever some layer makes a weight or has its `trainable` flag set, so a caller that
 * keeps a model's weight list (fit, between steps) knows when to read it again.
 */
export function layerWeightsVersion(): number {
  return weightListVersion;
}
const constraints = new WeakMap<Variable, Constraint>();

/** The constraint attached to a weight by addWeight, if any (optimizers apply it after each step). */
export function constraintOf(v: Variable): Constraint | undefined {
  return constraints.get(v);
}

/**
 * The base class of layers, with Keras's contract: `build(inputShape)` creates the weights with
 * {@link addWeight} the first time the layer sees an input; `call(inputs, { training })` computes the
 * output with differentiable ops; `getConfig()` describes it for saving. Users subclass it for their own layers.
 *
 * @example
 * ```ts
 * class Scale extends Layer {
 *   private w!: Variable;
 *   build(inputShape: SymbolicShape) { this.w = this.addWeight('w', [inputShape.at(-1)!], { initializer: 'ones' }); }
 *   call(x: Tensor) { return mul(x, this.w); }
 * }
 * ```
 */
export abstract class Layer {
  /** The layer's name (unique in the session unless given). */
  name: string;
  /** Element type of the layer's weights and computations. */
  readonly dtype: DType;
  /** The per-sample input shape given at construction (first layer of a model), if any. */
  readonly inputShape?: readonly number[];
  /** Whether build() has run. */
  built = false;
  private _trainable: boolean;
  private readonly ownWeights: Variable[] = [];
  private readonly regularized: [Variable, Regularizer][] = [];
  /** The penalty on this layer's outputs (Keras's activity regularizer), or null. */
  readonly activityRegularizer: Regularizer | null;
  // The activity penalties of the calls since the outermost call began (one per call of a shared layer).
  private activityPenalties: Tensor[] = [];
  /** The input shape the layer was built for (batch dimension null). */
  protected builtInputShape: SymbolicShape | null = null;

  constructor(options: LayerOptions = {}) {
    this.name = options.name ?? uniqueName(snakeCaseClassName(this.className));
    this._trainable = options.trainable ?? true;
    this.dtype = options.dtype ?? 'float32';
    if (options.inputShape !== undefined) this.inputShape = [...options.inputShape];
    this.activityRegularizer = options.activityRegularizer == null ? null : getRegularizer(options.activityRegularizer);
  }

  /** The class name used in summaries and saved configs (override when minification could rename classes). */
  get className(): string {
    return (this.constructor as { className?: string }).className ?? this.constructor.name;
  }

  /** Whether the layer's weights are trained. Setting it applies to nested layers too, as in Keras. */
  get trainable(): boolean {
    return this._trainable;
  }

  set trainable(value: boolean) {
    this._trainable = value;
    weightListVersion++;
    for (const layer of this.sublayers()) layer.trainable = value;
  }

  /** Creates the weights for inputs of `inputShape` (batch dimension null). Default: no weights. */
  build(inputShape: SymbolicShape): void {
    void inputShape;
  }

  /** The layer's computation, with differentiable ops. `training` is already resolved. */
  abstract call(inputs: Tensor, options: Required<CallOptions>): Tensor;

  /**
   * Calls the layer: builds it on first use, checks the input, resolves `training` (this call's value,
   * else the enclosing call's, else false), and runs {@link call}.
   */
  apply(inputs: Tensor, options: CallOptions = {}): Tensor {
    if (!(inputs instanceof Tensor)) throw new Error(`${this.name}: expected a Tensor input, got ${typeof inputs}`);
    if (!this.built) this.buildFor([null, ...inputs.shape.slice(1)]);
    this.checkInput(inputs.shape);
    const x = inputs.dtype === this.dtype ? inputs : cast(inputs, this.dtype); // Keras casts inputs to the layer's dtype
    const training = options.training ?? trainingStack.at(-1) ?? false;
    if (trainingStack.length === 0 && !probing) this.clearActivityPenalties(); // a new outermost call: a new batch
    trainingStack.push(training);
    let out: Tensor;
    try {
      out = this.call(x, { training });
    } finally {
      trainingStack.pop();
    }
    if (this.activityRegularizer !== null && !probing) this.activityPenalties.push(this.activityRegularizer.penalty(out));
    return out;
  }

  private clearActivityPenalties(): void {
    if (this.activityPenalties.length > 0) this.activityPenalties = [];
    for (const layer of this.sublayers()) layer.clearActivityPenalties();
  }

  /** Builds the layer for `inputShape` if it is not built yet. */
  buildFor(inputShape: SymbolicShape): void {
    if (this.built) return;
    if (inputShape.length === 0) throw new Error(`${this.name}: inputs need a batch axis; got a scalar`);
    this.build(inputShape);
    this.builtInputShape = [...inputShape];
    this.built = true;
  }

  /**
   * Checks an input against what the built layer accepts (Keras's input spec). The base class accepts
   * anything, as Keras does for a layer without an input spec; layers override it (Dense checks the last
   * axis, BatchNormalization the rank and the feature axis).
   */
  protected checkInput(shape: Shape): void {
    void shape;
  }

  /**
   * The standard input check: the rank (exactly, or at least `minRank`) and given axes' sizes.
   * @throws Error in Keras's words: which layer, which axis, what was expected and what was received.
   */
  protected checkInputSpec(shape: Shape, spec: { rank?: number; minRank?: number; axes?: Readonly<Record<number, number>> }): void {
    const got = (): string => formatShape(shape); // formatted only for an error: this runs on every call
    if (spec.rank !== undefined && shape.length !== spec.rank) {
      throw new Error(`Input of layer '${this.name}' (${this.className}) is incompatible: expected rank ${spec.rank}, received shape ${got()}`);
    }
    if (spec.minRank !== undefined && shape.length < spec.minRank) {
      throw new Error(`Input of layer '${this.name}' (${this.className}) is incompatible: expected rank >= ${spec.minRank}, received shape ${got()}`);
    }
    for (const key in spec.axes) {
      const size = spec.axes[key as unknown as number];
      const axis = Number(key);
      const a = axis < 0 ? axis + shape.length : axis;
      if (shape[a] !== size) {
        throw new Error(
          `Input of layer '${this.name}' (${this.className}) is incompatible: expected axis ${axis} of the input shape ` +
            `to have value ${size}, but received input with shape ${got()}`,
        );
      }
    }
  }

  /**
   * Creates a weight of this layer (call it from build). Its variable is named `<layer>/<name>`.
   * @example `this.kernel = this.addWeight('kernel', [inDim, units], { initializer: 'he_uniform' })`
   */
  addWeight(name: string, shape: readonly number[], options: AddWeightOptions = {}): Variable {
    const dtype = options.dtype ?? this.dtype;
    const value = getInitializer(options.initializer ?? 'glorot_uniform').init(shape, dtype);
    const v = new Variable(value, { name: `${this.name}/${name}`, trainable: options.trainable ?? true });
    this.ownWeights.push(v);
    weightListVersion++;
    if (options.regularizer) this.regularized.push([v, getRegularizer(options.regularizer)]);
    if (options.constraint) constraints.set(v, getConstraint(options.constraint));
    return v;
  }

  /** Layers held in this layer's properties (directly or in arrays), tracked as Keras tracks attributes. */
  sublayers(): Layer[] {
    const found: Layer[] = [];
    // for-in over own keys rather than Object.values: no array of every property per call (4× faster; fit's
    // steps walk the layers for their weights and penalties)
    for (const key in this) {
      if (!Object.hasOwn(this, key)) continue;
      const value: unknown = this[key];
      if (value instanceof Layer) found.push(value);
      else if (Array.isArray(value)) for (const v of value) if (v instanceof Layer) found.push(v);
    }
    return found;
  }

  /** All weights: own trainable ones, own non-trainable ones, then the sublayers' (Keras's order). */
  get weights(): Variable[] {
    const own = [...this.ownWeights.filter((w) => w.trainable), ...this.ownWeights.filter((w) => !w.trainable)];
    return [...own, ...this.sublayers().flatMap((l) => l.weights)];
  }

  /** The weights an optimizer updates: none when the layer is not trainable. */
  get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    return [...this.ownWeights.filter((w) => w.trainable), ...this.sublayers().flatMap((l) => l.trainableWeights)];
  }

  /** Every weight that is not in {@link trainableWeights}. */
  get nonTrainableWeights(): Variable[] {
    const trainable = new Set(this.trainableWeights);
    return this.weights.filter((w) => !trainable.has(w));
  }

  /** Copies of the weights' values, in {@link weights} order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => new Tensor(w.toTypedArray(), w.shape.slice()));
  }

  /**
   * Sets the weights from tensors in {@link weights} order.
   * @throws Error naming the layer when the count or a shape differs (nothing is assigned then).
   */
  setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new Error(`${this.name}: setWeights got ${values.length} arrays but the layer has ${ws.length} weights (${ws.map((w) => w.name).join(', ')})`);
    }
    ws.forEach((w, i) => {
      const s = values[i].shape;
      if (s.length !== w.shape.length || s.some((d, k) => d !== w.shape[k])) {
        throw new Error(`${this.name}: setWeights: weight ${i} (${w.name}) has shape ${formatShape(w.shape)}, got ${formatShape(s)}`);
      }
    });
    ws.forEach((w, i) => w.assign(values[i])); // assign converts between float32 and float64
  }

  /** The number of scalars in all weights. */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /**
   * The regularization penalties of this layer and its sublayers, as scalar tensors: the weights' (computed now,
   * on the tape; trainable weights only, as Keras) and the activity penalties of the latest outermost call.
   */
  regularizationLosses(): Tensor[] {
    const own = this.trainable ? this.regularized.map(([v, r]) => r.penalty(v)) : [];
    return [...own, ...this.activityPenalties, ...this.sublayers().flatMap((l) => l.regularizationLosses())];
  }

  /**
   * The output shape for an input shape (batch dimension null). Default: runs the layer on zeros with a
   * batch of one, outside any tape; layers override it with the formula.
   */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.buildFor(inputShape);
    const probe = zeros(inputShape.map((d) => d ?? 1), this.dtype);
    const wasProbing = probing;
    probing = true;
    try {
      const out = noGrad(() => this.apply(probe, { training: false }));
      return [inputShape[0], ...out.shape.slice(1)];
    } finally {
      probing = wasProbing;
    }
  }

  /** The configuration that rebuilds this layer: name, trainable, dtype and inputShape, plus each layer's options. */
  getConfig(): LayerConfig {
    const config: LayerConfig = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.inputShape !== undefined) config.inputShape = [...this.inputShape];
    if (this.activityRegularizer !== null) config.activityRegularizer = this.activityRegularizer.getConfig();
    return config;
  }
}
