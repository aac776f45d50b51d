// makeCircles: the two-circles problem of scikit-learn's make_circles, from a seeded generator.
import { Random, Tensor } from '@tapegrad/tensor';

/** Options of {@link makeCircles} (scikit-learn's arguments, camelCased). */
export interface MakeCirclesOptions {
  /** Number of points; default 100. Half are on the outer circle (rounded down), the rest on the inner. */
  nSamples?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate; default 0 (none). */
  noise?: number;
  /** Radius of the inner circle relative to the outer (0 < factor < 1); default 0.8. */
  factor?: number;
  /** Shuffle the points (with their labels); default true. */
  shuffle?: boolean;
  /** Seed of the generator; default 0. */
  seed?: number;
}

/**
 * A large circle containing a smaller one, the classic problem that a linear model cannot separate
 * (scikit-learn's `make_circles`, with its geometry: points evenly spaced in angle, outer circle label 0,
 * inner circle label 1, then shuffled, then Gaussian noise). The draws come from tapegrad's own seeded
 * generator, so the points differ from scikit-learn's for the same seed; the problem is the same.
 *
 * @returns x of shape [nSamples, 2] and y of shape [nSamples, 1], both float32.
 * @example
 * ```ts
 * const { x, y } = makeCircles({ nSamples: 1000, noise: 0.1, seed: 1 });
 * ```
 */
export function makeCircles(options: MakeCirclesOptions = {}): { x: Tensor; y: Tensor } {
  const n = options.nSamples ?? 100;
  const noise = options.noise ?? 0;
  const factor = options.factor ?? 0.8;
  if (!Number.isInteger(n) || n < 1) throw new Error(`makeCircles: nSamples must be a positive integer, got ${n}`);
  if (!(factor > 0 && factor < 1)) throw new Error(`makeCircles: factor must lie in (0, 1), got ${factor}`);
  if (!(noise >= 0)) throw new Error(`makeCircles: noise must be non-negative, got ${noise}`);
  const rng = new Random(options.seed ?? 0);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const points: [number, number, number][] = [];
  for (let i = 0; i < nOut; i++) {
    const a = (2 * Math.PI * i) / nOut;
    points.push([Math.cos(a), Math.sin(a), 0]);
  }
  for (let i = 0; i < nIn; i++) {
    const a = (2 * Math.PI * i) / nIn;
    points.push([factor * Math.cos(a), factor * Math.sin(a), 1]);
  }
  const order = options.shuffle === false ? Int32Array.from(points.keys()) : rng.permutation(n);
  const x = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [px, py, label] = points[order[i]];
    x[2 * i] = px + (noise > 0 ? noise * rng.normal() : 0);
    x[2 * i + 1] = py + (noise > 0 ? noise * rng.normal() : 0);
    y[i] = label;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n, 1]) };
}
