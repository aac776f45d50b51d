// Arrays in, batches out: how fit, evaluate and predict turn x, y and weights into batches (Keras's array adapter).
import { type DType, Random, Tensor, formatShape, globalRandom, kernels, tensor, type TensorValues } from '@tapegrad/tensor';

/** What fit, evaluate and predict accept as data: a tensor, or nested arrays / a typed array made into one. */
export type DataLike = Tensor | TensorValues;

/** Data as a tensor of the model's dtype (Keras casts inputs to the model's float32). */
export function asTensor(x: DataLike, dtype: DType, what: string): Tensor {
  const t = x instanceof Tensor ? x : tensor(x);
  if (t.rank === 0) throw new Error(`${what}: expected an array with a batch axis, got a scalar`);
  return t.dtype === dtype ? t : kernels.cast(t, dtype);
}

/**
 * Checks that every array has the same number of samples (first axis).
 * @throws Error naming each array's shape.
 */
export function checkSameLength(method: string, arrays: Record<string, Tensor | null>): number {
  const present = Object.entries(arrays).filter((e): e is [string, Tensor] => e[1] !== null);
  const n = present[0][1].shape[0];
  if (present.some(([, t]) => t.shape[0] !== n)) {
    const list = present.map(([k, t]) => `${k} ${formatShape(t.shape)}`).join(', ');
    throw new Error(`${method}: the arrays have different numbers of samples (first axis): ${list}`);
  }
  return n;
}

/**
 * Throws when `t` holds NaN or ±Infinity, naming the array and the first bad sample (fit's `checkFinite` option).
 */
export function checkFiniteData(method: string, what: string, t: Tensor): void {
  const data = t.toTypedArray();
  const per = t.size / Math.max(t.shape[0], 1);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new Error(`${method}: ${what} holds a non-finite value (${data[i]}) in sample ${Math.floor(i / per)}; clean the data or drop checkFinite`);
    }
  }
}

/** The rows of `t` at `indices` (first axis), as a new contiguous tensor. */
export function takeRows(t: Tensor, indices: Int32Array): Tensor {
  return kernels.gather(t, indices, 0);
}

/** Rows [start, end) of `t` as a view. */
export function rowRange(t: Tensor, start: number, end: number): Tensor {
  return kernels.slice(t, [start], [end - start]);
}

/**
 * The sample indices of each batch of an epoch: consecutive chunks of `batchSize` (the last may be
 * smaller), over a fresh permutation when `shuffle` is true, or with each chunk's inside order permuted
 * when it is 'batch' (Keras's rules).
 */
export function epochBatches(n: number, batchSize: number, shuffle: boolean | 'batch', rng: Random): Int32Array[] {
  const order = shuffle === true ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const b = order.slice(start, Math.min(n, start + batchSize));
    if (shuffle === 'batch') {
      const p = rng.permutation(b.length);
      batches.push(Int32Array.from(p, (k) => b[k]));
    } else batches.push(b);
  }
  return batches;
}

/** The generator fit shuffles with: a seeded one when a seed is given, else the global (setSeed) stream. */
export function shuffleRandom(seed: number | undefined): Random {
  return seed === undefined ? globalRandom() : new Random(seed);
}

/**
 * Per-sample weights from class weights (Keras): the label of each sample (rounded; the argmax of a one-hot
 * row) picks its class's weight; classes not listed weigh 1.
 */
export function classWeightsToSampleWeights(y: Tensor, classWeight: Readonly<Record<number, number>>): Tensor {
  const n = y.shape[0];
  const per = y.size / Math.max(n, 1);
  const data = y.toTypedArray();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let label: number;
    if (per === 1) label = roundHalfEven(data[i]); // np.round, as Keras
    else {
      label = 0;
      for (let k = 1; k < per; k++) if (data[i * per + k] > data[i * per + label]) label = k;
    }
    out[i] = classWeight[label] ?? 1;
  }
  return new Tensor(y.dtype === 'float64' ? Float64Array.from(out) : out, [n]);
}

/** Rounds to the nearest integer, halves to even (NumPy's rule): 0.5 → 0, 1.5 → 2, 2.5 → 2. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
