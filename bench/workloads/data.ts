// Synthetic data for W2, W5 and W6 from a small seeded generator of its own, so that the W5 child processes of
// TensorFlow.js make exactly the same values without loading tapegrad (which would add to their resident memory).

/** A data set as plain typed arrays, given to each framework as its own tensors. */
export interface Data {
  readonly x: Float32Array;
  readonly xShape: number[];
  readonly y: Float32Array;
  readonly yShape: number[];
}

/** mulberry32: a 32-bit seeded generator of uniform numbers in [0, 1). */
function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** W2's data: `n` samples of 784 values uniform in [0, 1) (like scaled MNIST pixels) and one-hot labels of 10 classes. */
export function mlpData(n: number, seed = 11): Data {
  const u = uniforms(seed);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = u();
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + Math.floor(u() * 10)] = 1;
  return { x, xShape: [n, 784], y, yShape: [n, 10] };
}

/** W6's data: `n` 8×8 one-channel images uniform in [0, 1) (the digits' scaled pixels) and class indices, shape [n, 1]. */
export function imageData(n: number, seed = 13): Data {
  const u = uniforms(seed);
  const x = new Float32Array(n * 64);
  for (let i = 0; i < x.length; i++) x[i] = u();
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.floor(u() * 10);
  return { x, xShape: [n, 8, 8, 1], y, yShape: [n, 1] };
}
