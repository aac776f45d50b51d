// Unary elementwise kernels: one inner loop each, driven by mapUnary (contiguous or strided input), and the
// gradients of relu, sigmoid and tanh read off their outputs in one pass (the backward of a fused dense layer).
import { allocate } from '../dtype.js';
import { formatShape, shapesEqual } from '../shape.js';
import { copyToContiguous } from '../strided.js';
import { Tensor } from '../tensor.js';
import { type UnaryLoop, checkSameDType, mapUnary } from './elementwise.js';
import { erf as erfScalar, reluOf } from './special.js';

// Each loop writes out[o + i] from x[xi], stepping xi by xs (1 for contiguous input).
const loops = {
  neg: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = -x[xi]; }) as UnaryLoop,
  abs: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.abs(x[xi]); }) as UnaryLoop,
  exp: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.exp(x[xi]); }) as UnaryLoop,
  expm1: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.expm1(x[xi]); }) as UnaryLoop,
  log: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.log(x[xi]); }) as UnaryLoop,
  log1p: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.log1p(x[xi]); }) as UnaryLoop,
  sqrt: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.sqrt(x[xi]); }) as UnaryLoop,
  rsqrt: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = 1 / Math.sqrt(x[xi]); }) as UnaryLoop,
  square: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = x[xi] * x[xi]; }) as UnaryLoop,
  reciprocal: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = 1 / x[xi]; }) as UnaryLoop,
  sign: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.sign(x[xi]); }) as UnaryLoop,
  relu: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = reluOf(x[xi]); }) as UnaryLoop,
  tanh: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.tanh(x[xi]); }) as UnaryLoop,
  sin: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.sin(x[xi]); }) as UnaryLoop,
  cos: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.cos(x[xi]); }) as UnaryLoop,
  floor: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.floor(x[xi]); }) as UnaryLoop,
  ceil: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = Math.ceil(x[xi]); }) as UnaryLoop,
  erf: ((out, o, n, x, xi, xs) => { for (let i = 0; i < n; i++, xi += xs) out[o + i] = erfScalar(x[xi]); }) as UnaryLoop,
  round: ((out, o, n, x, xi, xs) => {
    // Half to even, as NumPy and TensorFlow round (Math.round rounds halves up).
    for (let i = 0; i < n; i++, xi += xs) {
      const v = x[xi];
      const r = Math.round(v);
      out[o + i] = r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }
  }) as UnaryLoop,
  sigmoid: ((out, o, n, x, xi, xs) => {
    // Stable on both sides: never exponentiates a large positive number.
    for (let i = 0; i < n; i++, xi += xs) {
      const v = x[xi];
      if (v >= 0) out[o + i] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        out[o + i] = e / (1 + e);
      }
    }
  }) as UnaryLoop,
  softplus: ((out, o, n, x, xi, xs) => {
    // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x.
    for (let i = 0; i < n; i++, xi += xs) {
      const v = x[xi];
      out[o + i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
  }) as UnaryLoop,
};

/** -x, elementwise. */
export const neg = (x: Tensor): Tensor => mapUnary(x, loops.neg);
/** |x|, elementwise. */
export const abs = (x: Tensor): Tensor => mapUnary(x, loops.abs);
/** e^x, elementwise. */
export const exp = (x: Tensor): Tensor => mapUnary(x, loops.exp);
/** e^x - 1, elementwise, accurate near 0. */
export const expm1 = (x: Tensor): Tensor => mapUnary(x, loops.expm1);
/** Natural logarithm, elementwise. */
export const log = (x: Tensor): Tensor => mapUnary(x, loops.log);
/** log(1 + x), elementwise, accurate near 0. */
export const log1p = (x: Tensor): Tensor => mapUnary(x, loops.log1p);
/** Square root, elementwise. */
export const sqrt = (x: Tensor): Tensor => mapUnary(x, loops.sqrt);
/** 1 / sqrt(x), elementwise. */
export const rsqrt = (x: Tensor): Tensor => mapUnary(x, loops.rsqrt);
/** x², elementwise. */
export const square = (x: Tensor): Tensor => mapUnary(x, loops.square);
/** 1 / x, elementwise. */
export const reciprocal = (x: Tensor): Tensor => mapUnary(x, loops.reciprocal);
/** -1, 0 or 1 by the sign of x (0 for ±0). */
export const sign = (x: Tensor): Tensor => mapUnary(x, loops.sign);
/** max(x, 0), elementwise. */
export const relu = (x: Tensor): Tensor => mapUnary(x, loops.relu);
/** Logistic sigmoid 1 / (1 + e^-x), computed without overflow. */
export const sigmoid = (x: Tensor): Tensor => mapUnary(x, loops.sigmoid);
/** Hyperbolic tangent, elementwise. */
export const tanh = (x: Tensor): Tensor => mapUnary(x, loops.tanh);
/** log(1 + e^x), computed without overflow. */
export const softplus = (x: Tensor): Tensor => mapUnary(x, loops.softplus);
/** Sine, elementwise. */
export const sin = (x: Tensor): Tensor => mapUnary(x, loops.sin);
/** Cosine, elementwise. */
export const cos = (x: Tensor): Tensor => mapUnary(x, loops.cos);
/** Largest integer not above x. */
export const floor = (x: Tensor): Tensor => mapUnary(x, loops.floor);
/** Smallest integer not below x. */
export const ceil = (x: Tensor): Tensor => mapUnary(x, loops.ceil);
/** Nearest integer, halves to even (NumPy's rule). */
export const round = (x: Tensor): Tensor => mapUnary(x, loops.round);
/** The error function erf(x) = 2/√π ∫₀ˣ e^(-t²) dt, to double precision. */
export const erf = (x: Tensor): Tensor => mapUnary(x, loops.erf);

// ---- gradients read off an activation's output ----

/**
 * g·act'(y) for an activation's output y, in one pass: relu g·1[y > 0], sigmoid g·(y·(1 - y)), tanh g·(1 - y²),
 * linear g itself. In float32 each product is rounded as the separate ops (mul, sub, square) round it.
 * @throws Error when g and y differ in shape or dtype.
 */
export function activationGrad(g: Tensor, y: Tensor, activation: 'linear' | 'relu' | 'sigmoid' | 'tanh'): Tensor {
  if (activation === 'linear') return g;
  checkSameDType('activationGrad', g, y);
  if (!shapesEqual(g.shape, y.shape)) {
    throw new Error(`activationGrad: the gradient ${formatShape(g.shape)} and the output ${formatShape(y.shape)} must have one shape`);
  }
  const gd = g.isContiguous ? g.data : copyToContiguous(g);
  const go = g.isContiguous ? g.offset : 0;
  const yd = y.isContiguous ? y.data : copyToContiguous(y);
  const yo = y.isContiguous ? y.offset : 0;
  const n = y.size;
  const out = allocate(y.dtype, n);
  const f32 = y.dtype === 'float32';
  if (activation === 'relu') {
    for (let i = 0; i < n; i++) out[i] = gd[go + i] * +(yd[yo + i] > 0); // no jump (see reluOf in special.ts); g·0 keeps a NaN or ∞ of g, as mul does
  } else if (activation === 'sigmoid') {
    if (f32) {
      for (let i = 0; i < n; i++) {
        const v = yd[yo + i];
        out[i] = gd[go + i] * Math.fround(v * Math.fround(1 - v));
      }
    } else for (let i = 0; i < n; i++) out[i] = gd[go + i] * (yd[yo + i] * (1 - yd[yo + i]));
  } else if (activation === 'tanh') {
    if (f32) {
      for (let i = 0; i < n; i++) {
        const v = yd[yo + i];
        out[i] = gd[go + i] * Math.fround(1 - Math.fround(v * v));
      }
    } else for (let i = 0; i < n; i++) out[i] = gd[go + i] * (1 - yd[yo + i] * yd[yo + i]);
  } else {
    throw new Error(`activationGrad: unknown activation '${String(activation)}'; valid: linear, relu, sigmoid, tanh`);
  }
  return new Tensor(out, y.shape);
}
