// Saving and loading models: architecture and compile settings as JSON, weights (and optimizer slots) as binary.
//
// On-disk format, version 1. `saveModel(model, dir)` (`model.save(dir)`) writes a directory holding:
//   weights.bin    the values of `model.weights` in that order (Keras's: layer by layer, each layer's trainable
//                  weights then its non-trainable ones), each weight's elements in row-major order as little-endian
//                  float32 or float64 (its dtype), back to back without padding.
//   optimizer.bin  with `includeOptimizer` only: the optimizer's slots (Adam's momentum, velocity, ...), same encoding.
//   model.json     { format: 'tapegrad-model', version: 1,
//                    className: 'Sequential', config: model.getConfig(), buildConfig: { inputShape: [null, 2] } | null,
//                    compile: { optimizer: { className, config }, loss, metrics, weightedMetrics } | null,
//                    weights: [{ name, shape, dtype, offset, length }],      offset and length in bytes of weights.bin
//                    weightsFile: 'weights.bin', weightsBytes, weightsChecksum,  CRC-32 (IEEE) of the file, unsigned
//                    optimizer: { className, config, iterations, file: 'optimizer.bin', bytes, checksum,
//                                 slots: [{ weight, slot, dtype, offset, length }] } | null }   weight: index in `weights`
// Losses and metrics given to compile as names are saved as names, objects as { className, config }; the optimizer
// as the compiled one's { className, config }; weights are matched to the rebuilt model by position. Each file is
// written under a temporary name in the same directory, flushed, then renamed over its final name (atomic on POSIX),
// binary files first and model.json last: a crash leaves either the old save or the new one, except between the
// renames, where the old model.json meets the new weights.bin and loading refuses it (size or checksum).
//
// `saveWeights(model, file)` writes one self-describing file: the 4 ASCII bytes 'TGW1', the header's byte length as a
// little-endian uint32, the header as UTF-8 JSON { format: 'tapegrad-weights', version: 1, weights, weightsBytes,
// weightsChecksum }, then the weight bytes as in weights.bin.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type DType, type TypedArray, Tensor, formatShape } from '@tapegrad/tensor';
import type { Variable } from '@tapegrad/autograd';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { type CustomObjects, type SavedCompile, deserializeCompile, deserializeLayer, savedClassName, serializeCompile } from './registry.js';

/**
 * One array inside a binary file: its name, shape and dtype, and where its bytes are (offset and length in bytes).
 * @example `{ name: 'dense/kernel', shape: [2, 50], dtype: 'float32', offset: 0, length: 400 }`
 */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: DType;
  offset: number;
  length: number;
}

/**
 * The contents of model.json (see this file's header for the meaning of each field).
 * @example `JSON.parse(readFileSync('dir/model.json', 'utf8')) as ModelManifest`
 */
export interface ModelManifest {
  format: 'tapegrad-model';
  version: 1;
  className: string;
  config: Record<string, unknown>;
  buildConfig: { inputShape: (number | null)[] } | null;
  compile: SavedCompile | null;
  weights: WeightEntry[];
  weightsFile: string;
  weightsBytes: number;
  weightsChecksum: number;
  optimizer: {
    className: string; config: Record<string, unknown>; iterations: number; file: string; bytes: number; checksum: number;
    slots: (Omit<WeightEntry, 'name' | 'shape'> & { weight: number; slot: string })[];
  } | null;
}

/**
 * Options of {@link saveModel}.
 * @example `{ includeOptimizer: true }`
 */
export interface SaveModelOptions {
  /** Also save the optimizer's iteration count and slots (optimizer.bin), to resume training; default false. */
  includeOptimizer?: boolean;
}

/**
 * Options of {@link loadModel}.
 * @example `{ customObjects: { Scale }, compile: false }`
 */
export interface LoadModelOptions {
  /** Classes of custom layers, losses, metrics or optimizers by saved class name, for this call only. */
  customObjects?: CustomObjects;
  /** Compile the model with the saved settings (and restore the optimizer's state when saved); default true. */
  compile?: boolean;
}

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const OPTIMIZER_FILE = 'optimizer.bin';
const MAGIC = 'TGW1';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let crcTable: Uint32Array | null = null;

/**
 * The CRC-32 of `bytes` (IEEE 802.3, the polynomial of zip and PNG, reflected 0xEDB88320), as an unsigned integer.
 * @example `crc32(new TextEncoder().encode('123456789')) // 0xcbf43926`
 */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Saves a model to the directory `dir` (made if missing): model.json, weights.bin and, with `includeOptimizer`,
 * optimizer.bin, in the format described at the top of this file. Everything is copied before the first write, each
 * file is replaced atomically, and model.json is written last. A loss or metric given as a function cannot be
 * saved: compile is then recorded as null, with a warning, and {@link loadModel} returns the model uncompiled.
 * @example `await saveModel(model, 'runs/circles', { includeOptimizer: true })`
 */
export async function saveModel(model: Model, dir: string, options: SaveModelOptions = {}): Promise<void> {
  if (!(model instanceof Model)) throw new Error(`saveModel: expected a Model, got ${String(model)}`);
  const weights = pack(model.weights.map((w) => ({ name: w.name, shape: w.shape, values: w.toTypedArray() })));
  const optimizer = options.includeOptimizer ? packOptimizer(model) : null;
  const manifest: ModelManifest = {
    format: 'tapegrad-model', version: 1,
    className: model.className, config: model.getConfig(), buildConfig: model.getBuildConfig(),
    compile: compileManifest(model),
    weights: weights.entries, weightsFile: WEIGHTS_FILE, weightsBytes: weights.bytes.length, weightsChecksum: crc32(weights.bytes),
    optimizer: optimizer?.manifest ?? null,
  };
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  await mkdir(dir, { recursive: true });
  if (optimizer) await writeAtomic(path.join(dir, OPTIMIZER_FILE), optimizer.bytes);
  await writeAtomic(path.join(dir, WEIGHTS_FILE), weights.bytes);
  await writeAtomic(path.join(dir, MODEL_FILE), json);
  if (!optimizer) await rm(path.join(dir, OPTIMIZER_FILE), { force: true }); // left by an earlier save; unused now
}

/**
 * Rebuilds the model saved in `dir` by {@link saveModel}: its class and layers from the config (built-in layers,
 * those registered with `registerLayer`, or `customObjects`), its weights, and, unless `compile: false`, its compile
 * settings and saved optimizer state. Every file is read and checked (format, sizes, checksums, shapes against the
 * rebuilt model) before anything is assigned; the model is returned only when complete.
 * @throws Error naming the file and the problem: missing, not JSON, wrong format or version, truncated (expected vs
 * actual size), corrupt (checksum), a weight that does not fit, or an unknown class.
 * @example `const model = await loadModel('runs/circles', { customObjects: { Scale } })`
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<Model> {
  const where = `loadModel(${JSON.stringify(dir)})`;
  const manifest = await readManifest(dir, where);
  const bytes = await readChecked(dir, manifest.weightsFile, manifest.weightsBytes, manifest.weightsChecksum, where);
  const compile = options.compile !== false && manifest.compile !== null;
  const opt = compile ? manifest.optimizer : null;
  const optBytes = opt ? await readChecked(dir, opt.file, opt.bytes, opt.checksum, where) : null;
  const customObjects = options.customObjects ?? {};
  const model = deserializeLayer({ className: manifest.className, config: manifest.config }, { Sequential, ...customObjects });
  if (!(model instanceof Model)) throw new Error(`${where}: '${manifest.className}' rebuilt a layer that is not a Model`);
  if (!model.built && manifest.buildConfig !== null) model.buildFor(manifest.buildConfig.inputShape);
  const values = matchWeights(model.weights, manifest.weights, bytes, `${where}: ${manifest.weightsFile}`);
  if (compile && manifest.compile !== null) {
    model.compile(deserializeCompile(manifest.compile, customObjects, where));
    if (opt && optBytes) restoreOptimizer(model, opt, optBytes, where);
  }
  model.setWeights(values);
  return model;
}

/**
 * Saves only the weights of `model`, in `model.weights` order, to the single file `file` (format at the top of this
 * file), atomically.
 * @example `await saveWeights(model, 'checkpoints/epoch-3.weights.bin')`
 */
export async function saveWeights(model: Model, file: string): Promise<void> {
  const { bytes, entries } = pack(model.weights.map((w) => ({ name: w.name, shape: w.shape, values: w.toTypedArray() })));
  const header = new TextEncoder().encode(JSON.stringify({
    format: 'tapegrad-weights', version: 1, weights: entries, weightsBytes: bytes.length, weightsChecksum: crc32(bytes),
  }));
  const out = new Uint8Array(8 + header.length + bytes.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  out.set(bytes, 8 + header.length);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeAtomic(file, out);
}

/**
 * Loads weights into `model` from a file written by {@link saveWeights}, or from a directory written by
 * {@link saveModel}. Weights are matched by position (Keras's order) and must have the same shapes; dtypes convert.
 * @throws Error naming the file, for a truncated or corrupt file, or naming the first weight that does not match;
 * the model is unchanged then.
 * @example `await loadWeights(model, 'checkpoints/epoch-3.weights.bin')`
 */
export async function loadWeights(model: Model, file: string): Promise<void> {
  const where = `loadWeights(${JSON.stringify(file)})`;
  const isDir = await stat(file).then((s) => s.isDirectory(), (e: NodeJS.ErrnoException) => {
    throw new Error(`${where}: cannot read it (${e.code ?? e.message})`);
  });
  let entries: WeightEntry[];
  let data: Uint8Array;
  if (isDir) {
    const manifest = await readManifest(file, where);
    entries = manifest.weights;
    data = await readChecked(file, manifest.weightsFile, manifest.weightsBytes, manifest.weightsChecksum, where);
  } else {
    ({ entries, data } = parseWeightsFile(await readFile(file), where));
  }
  model.setWeights(matchWeights(model.weights, entries, data, where));
}

// ---- binary encoding ----

/** Arrays laid out back to back as little-endian bytes, with the entry of each. */
function pack(items: readonly { name: string; shape: readonly number[]; values: TypedArray }[]): { bytes: Uint8Array; entries: WeightEntry[] } {
  const entries: WeightEntry[] = [];
  let offset = 0;
  for (const { name, shape, values } of items) {
    entries.push({ name, shape: [...shape], dtype: values instanceof Float64Array ? 'float64' : 'float32', offset, length: values.byteLength });
    offset += values.byteLength;
  }
  const bytes = new Uint8Array(offset);
  items.forEach(({ values }, i) => {
    if (LITTLE_ENDIAN) bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), entries[i].offset);
    else {
      const view = new DataView(bytes.buffer, entries[i].offset, values.byteLength);
      for (let k = 0; k < values.length; k++) {
        if (values instanceof Float64Array) view.setFloat64(8 * k, values[k], true);
        else view.setFloat32(4 * k, values[k], true);
      }
    }
  });
  return { bytes, entries };
}

/** The values of one entry of `bytes`, decoded. */
function unpack(bytes: Uint8Array, e: Pick<WeightEntry, 'dtype' | 'offset' | 'length'>): TypedArray {
  const size = e.dtype === 'float64' ? 8 : 4;
  const out = e.dtype === 'float64' ? new Float64Array(e.length / size) : new Float32Array(e.length / size);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes.subarray(e.offset, e.offset + e.length));
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + e.offset, e.length);
    for (let k = 0; k < out.length; k++) out[k] = size === 8 ? view.getFloat64(8 * k, true) : view.getFloat32(4 * k, true);
  }
  return out;
}

/** Checks that entries lie back to back inside `total` bytes with lengths that fit their shapes and dtypes. */
function checkEntries(entries: unknown, total: number, what: string, where: string, shaped = true): void {
  if (!Array.isArray(entries)) throw new Error(`${where}: ${what} must be a list, got ${typeof entries}`);
  let offset = 0;
  entries.forEach((e: WeightEntry, i) => {
    const label = `${what} entry ${i}${typeof e?.name === 'string' ? ` ('${e.name}')` : ''}`;
    if (typeof e !== 'object' || e === null || (e.dtype !== 'float32' && e.dtype !== 'float64')) throw new Error(`${where}: ${label} is malformed (dtype must be 'float32' or 'float64')`);
    const count = shaped ? (Array.isArray(e.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0) ? e.shape.reduce((a, b) => a * b, 1) : NaN) : e.length / (e.dtype === 'float64' ? 8 : 4);
    if (!Number.isInteger(count) || e.offset !== offset || e.length !== count * (e.dtype === 'float64' ? 8 : 4)) {
      throw new Error(`${where}: ${label} is malformed: offset ${e.offset} and length ${e.length} do not fit shape ${JSON.stringify(e.shape)} of ${e.dtype} at byte ${offset}`);
    }
    offset += e.length;
  });
  if (offset !== total) throw new Error(`${where}: ${what} entries cover ${offset} bytes but the file holds ${total}`);
}

/** The saved values as tensors, after checking them one by one against the model's weights. */
function matchWeights(variables: readonly Variable[], entries: readonly WeightEntry[], bytes: Uint8Array, where: string): Tensor[] {
  for (let i = 0; i < Math.max(variables.length, entries.length); i++) {
    const v = variables[i];
    const e = entries[i];
    if (v === undefined) {
      throw new Error(`${where}: the file has ${entries.length} weights but the model only ${variables.length}; the first extra one is '${e.name}' ${formatShape(e.shape)}`);
    }
    if (e === undefined) {
      throw new Error(`${where}: the model has ${variables.length} weights but the file only ${entries.length}; the first missing one is '${v.name}' ${formatShape(v.shape)}`);
    }
    if (e.shape.length !== v.shape.length || e.shape.some((d, k) => d !== v.shape[k])) {
      throw new Error(`${where}: weight ${i} '${v.name}' has shape ${formatShape(v.shape)} in the model but ${formatShape(e.shape)} in the file (saved as '${e.name}'): the architectures differ`);
    }
  }
  return entries.map((e) => new Tensor(unpack(bytes, e), e.shape));
}

// ---- files ----

/** Writes `data` to a temporary file next to `file`, flushes it to disk, then renames it over `file`. */
async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** model.json of `dir`, parsed and checked field by field. */
async function readManifest(dir: string, where: string): Promise<ModelManifest> {
  const file = path.join(dir, MODEL_FILE);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new Error(`${where}: cannot read ${file} (${e.code === 'ENOENT' ? 'no such file: is this a directory written by model.save?' : e.message})`);
  });
  let m: ModelManifest;
  try {
    m = JSON.parse(text) as ModelManifest;
  } catch (e) {
    throw new Error(`${where}: ${file} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof m !== 'object' || m === null || m.format !== 'tapegrad-model') throw new Error(`${where}: ${file} is not a tapegrad model file (format must be 'tapegrad-model')`);
  if (m.version !== 1) throw new Error(`${where}: ${file} has format version ${String(m.version)}; this tapegrad reads version 1`);
  if (typeof m.className !== 'string' || typeof m.config !== 'object' || m.config === null) throw new Error(`${where}: ${file} lacks className or config`);
  for (const [name, f] of [['weightsFile', m.weightsFile], ['optimizer.file', m.optimizer?.file ?? OPTIMIZER_FILE]] as const) {
    if (typeof f !== 'string' || f === '' || path.basename(f) !== f) throw new Error(`${where}: ${file}: ${name} must be a file name inside the directory, got ${JSON.stringify(f)}`);
  }
  checkEntries(m.weights, m.weightsBytes, 'weights', `${where}: ${file}`);
  if (m.optimizer) checkEntries(m.optimizer.slots, m.optimizer.bytes, 'optimizer slots', `${where}: ${file}`, false);
  return m;
}

/** The bytes of `dir/name` after checking their count and CRC-32 against the manifest. */
async function readChecked(dir: string, name: string, expected: number, checksum: number, where: string): Promise<Uint8Array> {
  const file = path.join(dir, name);
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`${where}: cannot read ${file}, which model.json expects to hold ${expected} bytes (${e.code ?? e.message})`);
  });
  if (bytes.length !== expected) {
    throw new Error(`${where}: ${file} has ${bytes.length} bytes but model.json expects ${expected}: the file is ${bytes.length < expected ? 'truncated' : 'too long'} or from another save`);
  }
  const actual = crc32(bytes);
  if (actual !== checksum) throw new Error(`${where}: ${file} is corrupt: its CRC-32 is ${hex(actual)} but model.json records ${hex(checksum)}`);
  return bytes;
}

/** The entries and weight bytes of a saveWeights file, checked. */
function parseWeightsFile(buf: Uint8Array, where: string): { entries: WeightEntry[]; data: Uint8Array } {
  if (buf.length < 8 || new TextDecoder().decode(buf.subarray(0, 4)) !== MAGIC) {
    throw new Error(`${where}: not a tapegrad weights file (it does not start with '${MAGIC}'; ${buf.length} bytes)`);
  }
  const n = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(4, true);
  if (8 + n > buf.length) throw new Error(`${where}: truncated: the file has ${buf.length} bytes, fewer than its ${8 + n}-byte header`);
  let h: { format?: unknown; version?: unknown; weights: WeightEntry[]; weightsBytes: number; weightsChecksum: number };
  try {
    h = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`${where}: the header is not valid JSON (${(e as Error).message}): the file is corrupt`);
  }
  if (h?.format !== 'tapegrad-weights' || h.version !== 1) throw new Error(`${where}: unsupported header (format ${String(h?.format)}, version ${String(h?.version)}); expected 'tapegrad-weights' version 1`);
  const expected = 8 + n + h.weightsBytes;
  if (buf.length !== expected) throw new Error(`${where}: the file has ${buf.length} bytes but its header expects ${expected}: it is ${buf.length < expected ? 'truncated' : 'too long'}`);
  const data = buf.subarray(8 + n);
  checkEntries(h.weights, data.length, 'weights', where);
  if (crc32(data) !== h.weightsChecksum) throw new Error(`${where}: the file is corrupt: its CRC-32 is ${hex(crc32(data))} but its header records ${hex(h.weightsChecksum)}`);
  return { entries: h.weights, data };
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

// ---- compile settings and optimizer state ----

/** The compile settings as JSON, or null (with a warning) when a loss or metric is a function without a config. */
function compileManifest(model: Model): SavedCompile | null {
  if (model.compileOptions === null) return null;
  const { compile, unsaved } = serializeCompile(model.compileOptions, model.optimizer);
  if (compile === null) {
    console.warn(`saveModel: ${model.name}: cannot save ${unsaved.join(', ')}: a function or a wrapped function has no config. ` +
      'The compile settings are saved as null, so loadModel returns the model uncompiled; call compile() after loading.');
  }
  return compile;
}

/** The optimizer's slots for the model's weights it has met, laid out as optimizer.bin, with their manifest. */
function packOptimizer(model: Model): { bytes: Uint8Array; manifest: NonNullable<ModelManifest['optimizer']> } | null {
  if (!model.isCompiled) return null;
  const opt = model.optimizer;
  const all = model.weights;
  const indices = all.map((_, i) => i).filter((i) => opt.variables.includes(all[i]));
  const state = opt.getState(indices.map((i) => all[i]));
  const items = state.slots.flatMap((slots, k) => Object.entries(slots).map(([slot, values]) => ({ name: slot, weight: indices[k], shape: [values.length], values })));
  const { bytes, entries } = pack(items);
  const slots = entries.map((e, j) => ({ weight: items[j].weight, slot: items[j].name, dtype: e.dtype, offset: e.offset, length: e.length }));
  return {
    bytes,
    manifest: { className: savedClassName(opt), config: opt.getConfig(), iterations: state.iterations, file: OPTIMIZER_FILE, bytes: bytes.length, checksum: crc32(bytes), slots },
  };
}

/** Gives the freshly compiled optimizer the saved iteration count and slots, after checking each slot's size. */
function restoreOptimizer(model: Model, saved: NonNullable<ModelManifest['optimizer']>, bytes: Uint8Array, where: string): void {
  const weights = model.weights;
  const order: number[] = [];
  const slots: Record<string, Float32Array | Float64Array>[] = [];
  for (const s of saved.slots) {
    const v = weights[s.weight];
    const values = unpack(bytes, s);
    if (typeof s.slot !== 'string' || v === undefined || values.length !== v.size) {
      const weight = v === undefined ? 'missing' : `'${v.name}' of ${v.size}`;
      throw new Error(`${where}: optimizer slot ${JSON.stringify(s.slot)} of weight ${s.weight} has ${values.length} values but the model's weight ${s.weight} is ${weight}`);
    }
    if (order.at(-1) !== s.weight) {
      order.push(s.weight);
      slots.push({});
    }
    slots[slots.length - 1][s.slot] = values;
  }
  if (!Number.isInteger(saved.iterations) || saved.iterations < 0) throw new Error(`${where}: optimizer iterations must be a non-negative integer, got ${saved.iterations}`);
  model.optimizer.setState(order.map((i) => weights[i]), { iterations: saved.iterations, slots });
}
