// The registry of saved class names: layer classes (built-in and registered), and the losses, metrics and optimizers
// of compile settings, so that saved `{ className, config }` entries become objects again.
import { Layer, type LayerConfig } from '../layer.js';
import { Activation } from '../layers/activation.js';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import { LayerNormalization } from '../layers/layer-normalization.js';
import { Normalization } from '../layers/normalization.js';
import { AveragePooling2D, MaxPooling2D } from '../layers/pooling.js';
import { ReLU } from '../layers/relu.js';
import * as lossModule from '../losses/index.js';
import * as metricModule from '../metrics/index.js';
import type { CompileOptions } from '../models/model.js';
import { getOptimizer } from '../optimizers/get-optimizer.js';
import { Optimizer } from '../optimizers/optimizer.js';

/**
 * A class that can be rebuilt from a saved config: a constructor, an optional `static className` (the saved name;
 * default the JavaScript class name) and an optional `static fromConfig(config, customObjects)` (default
 * `new cls(config)`). Layers, and in customObjects also losses, metrics and optimizers.
 * @example `const cls: SerializableClass = BinaryCrossentropy`
 */
export interface SerializableClass<T = unknown> {
  // `never[]`: constructors take different arguments (Dense(units, options), BatchNormalization(options)), and any of
  // them fits; the registry calls one with a config only through `construct`.
  new (...args: never[]): T;
  /** The name written to saved configs; default the class's JavaScript name. */
  readonly className?: string;
  /** Rebuilds an instance from `getConfig()`'s output; without it the registry calls `new cls(config)`. */
  fromConfig?(config: LayerConfig, customObjects?: CustomObjects): T;
}

/** `new cls(config)`, for a class without `fromConfig` (whose constructor, by that contract, takes its config). */
function construct<T>(cls: SerializableClass<T>, config: LayerConfig): T {
  return new (cls as unknown as new (config: LayerConfig) => T)(config);
}

/**
 * A layer class as the registry sees it (see {@link SerializableClass}).
 * @example `const cls: LayerClass = Dense; cls.fromConfig?.(new Dense(4).getConfig())`
 */
export type LayerClass<T extends Layer = Layer> = SerializableClass<T>;

/**
 * Classes by saved class name, given to {@link deserializeLayer} or `loadModel` for one call only (Keras's
 * `custom_objects`); they take precedence over registered and built-in classes. `loadModel` also looks up custom
 * losses, metrics and optimizers of the compile settings here.
 * @example `loadModel(dir, { customObjects: { Scale } })`
 */
export type CustomObjects = Readonly<Record<string, SerializableClass>>;

/**
 * A layer as saved inside a model config: its class name and `getConfig()`'s output.
 * @example `{ className: 'Dense', config: { name: 'dense', units: 1, activation: 'sigmoid', ... } }`
 */
export interface SerializedLayer {
  className: string;
  config: LayerConfig;
}

// Built-in classes are listed on first use, not at module load, so that an import cycle through this module (a
// container's fromConfig calling back here) can never touch a class before its module has run.
let builtIns: Map<string, LayerClass> | null = null;
const registered = new Map<string, LayerClass>();

function builtInLayers(): Map<string, LayerClass> {
  if (builtIns === null) {
    const classes: LayerClass[] = [
      Dense, BatchNormalization, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, ReLU, Activation, LayerNormalization, Normalization,
    ];
    builtIns = new Map(classes.map((cls) => [classNameOf(cls), cls]));
  }
  return builtIns;
}

/** The name a class is saved under: its `static className`, else its JavaScript name. */
function classNameOf(cls: LayerClass): string {
  return typeof cls.className === 'string' && cls.className !== '' ? cls.className : cls.name;
}

/**
 * Registers a user's layer class so that `loadModel` and {@link deserializeLayer} can rebuild it from a saved config
 * (Keras's `register_keras_serializable`). The saved name is the class's `static className` if it has one, else
 * its JavaScript name; give it a `static className` when a bundler could rename classes. The class is rebuilt with
 * its `static fromConfig(config, customObjects)` when it has one, else with `new cls(config)` (so a constructor taking
 * `getConfig()`'s output needs no fromConfig). Registering the same class again is a no-op.
 * @throws Error when the argument is not a Layer subclass, when it has no usable name, or when the name is already
 * taken by a different class (built-in or registered).
 * @example
 * ```ts
 * class Scale extends Layer {
 *   static readonly className = 'Scale';
 *   call(x: Tensor) { return mul(x, 2); }
 * }
 * registerLayer(Scale);           // now loadModel(dir) rebuilds Scale layers
 * ```
 */
export function registerLayer<T extends Layer>(cls: LayerClass<T>): void {
  if (typeof cls !== 'function' || !(cls.prototype instanceof Layer)) {
    throw new Error(`registerLayer: expected a subclass of Layer, got ${describe(cls)}`);
  }
  const name = classNameOf(cls as LayerClass);
  if (name === '') throw new Error("registerLayer: the class has no name; give it a `static className = 'MyLayer'`");
  if (cls.fromConfig !== undefined && typeof cls.fromConfig !== 'function') {
    throw new Error(`registerLayer: ${name}.fromConfig must be a static function (config, customObjects) => layer, got ${describe(cls.fromConfig)}`);
  }
  const existing = registered.get(name) ?? builtInLayers().get(name);
  if (existing === (cls as LayerClass)) return;
  if (existing !== undefined) {
    const kind = builtInLayers().has(name) ? 'a built-in layer' : 'another registered class';
    throw new Error(`registerLayer: the name '${name}' is already taken by ${kind}; give your class a different \`static className\``);
  }
  registered.set(name, cls as LayerClass);
}

/**
 * The names {@link deserializeLayer} resolves without customObjects: built-in layers, then registered ones, sorted.
 * @example `registeredLayerNames().includes('Dense') // true`
 */
export function registeredLayerNames(): string[] {
  return [...new Set([...builtInLayers().keys(), ...registered.keys()])].sort();
}

/**
 * The class saved under `className`, looked up in `customObjects`, then among registered classes, then among the
 * built-in layers (Keras's order).
 * @throws Error listing the known names and how to make a custom class known.
 * @example `getLayerClass('Dense') === Dense`
 */
export function getLayerClass(className: string, customObjects: CustomObjects = {}): LayerClass {
  const cls = Object.hasOwn(customObjects, className) ? customObjects[className] : registered.get(className) ?? builtInLayers().get(className);
  if (cls !== undefined) {
    if (typeof cls !== 'function' || !(cls.prototype instanceof Layer)) {
      throw new Error(`customObjects['${className}'] is not a subclass of Layer (got ${describe(cls)}), but the saved config uses it as a layer`);
    }
    return cls as LayerClass;
  }
  const known = [...new Set([...registeredLayerNames(), ...Object.keys(customObjects)])].sort().join(', ');
  throw new Error(
    `Unknown layer class '${className}'. If it is a custom layer, register it with registerLayer(${className}) ` +
      `or pass customObjects: { ${className} }. Known layer classes: ${known}`,
  );
}

/**
 * Rebuilds a layer from `{ className, config }` (the form a Sequential's config lists its layers in): finds the class
 * with {@link getLayerClass} and calls its `static fromConfig(config, customObjects)`, or `new cls(config)` without one.
 * `customObjects` is passed on, so a container's fromConfig can resolve custom layers nested in it.
 * @throws Error for a malformed entry, an unknown class (listing the known ones), or a config the class refuses
 * (the class's own message, prefixed with the class name).
 * @example
 * ```ts
 * const copy = deserializeLayer({ className: 'Dense', config: new Dense(4, { name: 'd' }).getConfig() });
 * const mine = deserializeLayer({ className: 'Scale', config: { name: 's' } }, { Scale });
 * ```
 */
export function deserializeLayer(entry: SerializedLayer, customObjects: CustomObjects = {}): Layer {
  if (typeof entry !== 'object' || entry === null || typeof entry.className !== 'string') {
    throw new Error(`deserializeLayer: expected { className: string, config: object }, got ${describe(entry)}`);
  }
  const config = entry.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new Error(`deserializeLayer: the config of '${entry.className}' must be an object, got ${describe(config)}`);
  }
  const cls = getLayerClass(entry.className, customObjects);
  let layer: unknown;
  try {
    layer = typeof cls.fromConfig === 'function' ? cls.fromConfig(config, customObjects) : construct(cls, config);
  } catch (e) {
    const how = typeof cls.fromConfig === 'function' ? 'fromConfig' : 'new (no static fromConfig)';
    throw new Error(`deserializeLayer: ${entry.className}.${how} failed for config ${short(config)}: ${(e as Error).message}`, { cause: e });
  }
  if (!(layer instanceof Layer)) {
    throw new Error(`deserializeLayer: ${entry.className}.fromConfig returned ${describe(layer)}, not a Layer`);
  }
  return layer;
}

// ---- compile settings: losses, metrics and optimizers ----

/**
 * A loss, metric or optimizer as saved in compile settings: the name given to compile, or `{ className, config }`.
 * @example `'binary_crossentropy'`, `{ className: 'BinaryAccuracy', config: { name: 'binary_accuracy', threshold: 0.3 } }`
 */
export type SavedObject = string | { className: string; config: Record<string, unknown> };

/**
 * Compile settings as saved: the optimizer always as `{ className, config }` (the compiled one, so a learning rate
 * changed since compile is kept), losses and metrics as given (names as names, objects by their config).
 * @example `{ optimizer: { className: 'Adam', config: { learningRate: 0.001, ... } }, loss: 'mse', metrics: [], weightedMetrics: [] }`
 */
export interface SavedCompile {
  optimizer: SavedObject;
  loss: SavedObject;
  metrics: SavedObject[];
  weightedMetrics: SavedObject[];
}

/**
 * The name an object's class is saved under: the class's `static className`, else its JavaScript name.
 * @example `savedClassName(new Adam()) // 'Adam'`
 */
export function savedClassName(obj: object): string {
  const ctor = obj.constructor as { className?: unknown; name: string };
  return typeof ctor.className === 'string' && ctor.className !== '' ? ctor.className : ctor.name;
}

/**
 * Compile options in their saved form ({@link SavedCompile}), or `compile: null` with the list of what cannot be
 * saved: a function, or a LossFunctionWrapper / MeanMetricWrapper around one (they have no config that rebuilds them).
 * @example `serializeCompile({ loss: 'mse', metrics: ['mae'] }, new Adam()).compile?.loss // 'mse'`
 */
export function serializeCompile(options: CompileOptions, optimizer: Optimizer): { compile: SavedCompile | null; unsaved: string[] } {
  const unsaved: string[] = [];
  const save = (what: string, id: unknown): SavedObject => {
    if (typeof id === 'string') return id;
    const wrapper = id instanceof Object && (id.constructor === lossModule.LossFunctionWrapper || id.constructor === metricModule.MeanMetricWrapper);
    if (typeof id !== 'object' || id === null || wrapper || typeof (id as { getConfig?: unknown }).getConfig !== 'function') {
      unsaved.push(`${what} (${typeof id === 'function' ? `function ${id.name || '(anonymous)'}` : savedClassName(Object(id))})`);
      return '';
    }
    return { className: savedClassName(id), config: (id as { getConfig(): Record<string, unknown> }).getConfig() };
  };
  const compile = {
    optimizer: { className: savedClassName(optimizer), config: optimizer.getConfig() },
    loss: save('loss', options.loss),
    metrics: (options.metrics ?? []).map((m, i) => save(`metrics[${i}]`, m)),
    weightedMetrics: (options.weightedMetrics ?? []).map((m, i) => save(`weightedMetrics[${i}]`, m)),
  };
  return { compile: unsaved.length === 0 ? compile : null, unsaved };
}

/** A Loss, Metric or Optimizer rebuilt from `{ className, config }`, from customObjects or the built-in classes. */
function rebuild<T>(kind: string, saved: SavedObject, base: abstract new (...args: never[]) => T, builtIns: object, customObjects: CustomObjects, where: string): T | string {
  if (typeof saved === 'string') return saved;
  const name = saved?.className;
  const cls = (typeof name === 'string' && Object.hasOwn(customObjects, name) ? customObjects[name] : (builtIns as Record<string, unknown>)[name]) as
    { new (config: unknown): T; fromConfig?(config: unknown): T; prototype: unknown } | undefined;
  if (typeof cls !== 'function' || !(cls.prototype instanceof base)) {
    throw new Error(`${where}: cannot rebuild the ${kind} '${String(name)}' of the compile settings: no such built-in ${kind}; ` +
      `pass customObjects: { ${String(name)} }, or loadModel(dir, { compile: false }) and compile yourself`);
  }
  try {
    return typeof cls.fromConfig === 'function' ? cls.fromConfig(saved.config) : construct(cls, saved.config);
  } catch (e) {
    throw new Error(`${where}: cannot rebuild the ${kind} '${name}' from its config ${short(saved.config)}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Compile options from their saved form: names stay names (compile resolves them), `{ className, config }` entries
 * are rebuilt from `customObjects` or the built-in losses, metrics and optimizers.
 * @throws Error naming the class when it is neither built in nor in customObjects.
 * @example `model.compile(deserializeCompile(saved, { MyLoss }, 'loadModel'))`
 */
export function deserializeCompile(saved: SavedCompile, customObjects: CustomObjects = {}, where = 'deserializeCompile'): CompileOptions {
  const opt = saved.optimizer;
  const optName = typeof opt === 'string' ? opt : opt?.className;
  let optimizer: Optimizer | string;
  try {
    optimizer = Object.hasOwn(customObjects, optName) ? rebuild('optimizer', opt, Optimizer, {}, customObjects, where) : getOptimizer(opt);
  } catch (e) {
    if (Object.hasOwn(customObjects, optName)) throw e;
    throw new Error(`${where}: cannot rebuild the optimizer '${optName}' of the compile settings (${(e as Error).message}); ` +
      `for a custom optimizer pass customObjects: { ${optName} }, or loadModel(dir, { compile: false })`, { cause: e });
  }
  const metric = (m: SavedObject) => rebuild('metric', m, metricModule.Metric, metricModule, customObjects, where);
  return {
    optimizer,
    loss: rebuild('loss', saved.loss, lossModule.Loss, lossModule, customObjects, where),
    metrics: (saved.metrics ?? []).map(metric),
    weightedMetrics: (saved.weightedMetrics ?? []).map(metric),
  };
}

function describe(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value === null || typeof value !== 'object') return String(value);
  return short(value);
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
