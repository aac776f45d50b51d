// Chainable methods on Tensor (`x.matmul(w).add(b).relu().sum()`): each one calls the differentiable op of
// the same name, so method calls and free functions record identically. Importing @tapegrad/autograd installs them.
import { type DType, type Shape, Tensor } from '@tapegrad/tensor';
import * as ops from './ops/index.js';
import type { TensorLike } from './tensor-like.js';

type Axes = number | readonly number[];

declare module '@tapegrad/tensor' {
  interface Tensor {
    /** a + b (see {@link ops.add}). */ add(b: TensorLike): Tensor;
    /** Matrix product a·b (batched, NumPy's vector rules). */ matmul(b: Tensor, options?: ops.MatmulOptions): Tensor;
    /** a - b. */ sub(b: TensorLike): Tensor;
    /** a * b. */ mul(b: TensorLike): Tensor;
    /** a / b. */ div(b: TensorLike): Tensor;
    /** a ** b. */ pow(b: TensorLike): Tensor;
    /** Elementwise maximum. */ maximum(b: TensorLike): Tensor;
    /** Elementwise minimum. */ minimum(b: TensorLike): Tensor;
    /** 1 where equal, else 0. */ equal(b: TensorLike): Tensor;
    /** 1 where greater, else 0. */ greater(b: TensorLike): Tensor;
    /** 1 where less, else 0. */ less(b: TensorLike): Tensor;
    /** 1 where greater or equal, else 0. */ greaterEqual(b: TensorLike): Tensor;
    /** 1 where less or equal, else 0. */ lessEqual(b: TensorLike): Tensor;
    /** 1 where different, else 0. */ notEqual(b: TensorLike): Tensor;
    /** (a - b)². */ squaredDifference(b: TensorLike): Tensor;
    /** -x. */ neg(): Tensor;
    /** |x|. */ abs(): Tensor;
    /** e^x. */ exp(): Tensor;
    /** ln x. */ log(): Tensor;
    /** √x. */ sqrt(): Tensor;
    /** 1/√x. */ rsqrt(): Tensor;
    /** x². */ square(): Tensor;
    /** 1/x. */ reciprocal(): Tensor;
    /** max(x, 0). */ relu(): Tensor;
    /** 1/(1+e^-x). */ sigmoid(): Tensor;
    /** tanh x. */ tanh(): Tensor;
    /** log(1+e^x). */ softplus(): Tensor;
    /** e^x - 1. */ expm1(): Tensor;
    /** ln(1 + x). */ log1p(): Tensor;
    /** sin x. */ sin(): Tensor;
    /** cos x. */ cos(): Tensor;
    /** The error function. */ erf(): Tensor;
    /** -1, 0 or 1. */ sign(): Tensor;
    /** ⌊x⌋. */ floor(): Tensor;
    /** ⌈x⌉. */ ceil(): Tensor;
    /** Nearest integer, halves to even. */ round(): Tensor;
    /** Softmax along an axis (default: the last). */ softmax(axis?: number): Tensor;
    /** Log-softmax along an axis (default: the last). */ logSoftmax(axis?: number): Tensor;
    /** Sum over axes (default all). */ sum(axes?: Axes, keepDims?: boolean): Tensor;
    /** Mean over axes (default all). */ mean(axes?: Axes, keepDims?: boolean): Tensor;
    /** Maximum over axes (default all). */ max(axes?: Axes, keepDims?: boolean): Tensor;
    /** Minimum over axes (default all). */ min(axes?: Axes, keepDims?: boolean): Tensor;
    /** Biased variance over axes (default all). */ variance(axes?: Axes, keepDims?: boolean): Tensor;
    /** Product over axes (default all). */ prod(axes?: Axes, keepDims?: boolean): Tensor;
    /** log Σ e^x over axes (default all). */ logSumExp(axes?: Axes, keepDims?: boolean): Tensor;
    /** Index of the maximum along an axis (default: flattened). */ argmax(axis?: number): Tensor;
    /** Index of the minimum along an axis (default: flattened). */ argmin(axis?: number): Tensor;
    /** New shape, same elements. */ reshape(shape: Shape): Tensor;
    /** Permute axes (default: reverse). */ transpose(perm?: readonly number[]): Tensor;
    /** Insert a length-1 axis. */ expandDims(axis: number): Tensor;
    /** Remove length-1 axes. */ squeeze(axes?: Axes): Tensor;
    /** Broadcast to a shape. */ broadcastTo(shape: Shape): Tensor;
    /** A block of the tensor. */ slice(begin: readonly number[], size?: readonly number[]): Tensor;
    /** Pad with a constant, [before, after] per axis. */ pad(paddings: readonly (readonly [number, number])[], value?: number): Tensor;
    /** Repeat reps[i] times along each axis. */ tile(reps: readonly number[]): Tensor;
    /** Slices at indices along an axis (default 0). */ gather(indices: ops.GatherIndices, axis?: number): Tensor;
    /** Cut into pieces along an axis (default 0). */ split(numOrSizes: number | readonly number[], axis?: number): Tensor[];
    /** Clamp into [min, max]. */ clip(min: number, max: number): Tensor;
    /** Convert the dtype. */ cast(dtype: DType): Tensor;
  }
}

/** The members Tensor has of its own; everything else on it is a chainable op method installed here. */
type OwnMembers = 'data' | 'shape' | 'strides' | 'offset' | 'dtype' | 'size' | 'isContiguous' | 'id' | 'rank' | 'toArray' | 'toTypedArray' | 'item' | 'get' | 'toString';

const methods: ThisType<Tensor> & Omit<Tensor, OwnMembers> = {
  add(b: TensorLike) { return ops.add(this, b); },
  matmul(b: Tensor, options?: ops.MatmulOptions) { return ops.matmul(this, b, options); },
  sub(b: TensorLike) { return ops.sub(this, b); },
  mul(b: TensorLike) { return ops.mul(this, b); },
  div(b: TensorLike) { return ops.div(this, b); },
  pow(b: TensorLike) { return ops.pow(this, b); },
  maximum(b: TensorLike) { return ops.maximum(this, b); },
  minimum(b: TensorLike) { return ops.minimum(this, b); },
  equal(b: TensorLike) { return ops.equal(this, b); },
  greater(b: TensorLike) { return ops.greater(this, b); },
  less(b: TensorLike) { return ops.less(this, b); },
  greaterEqual(b: TensorLike) { return ops.greaterEqual(this, b); },
  lessEqual(b: TensorLike) { return ops.lessEqual(this, b); },
  notEqual(b: TensorLike) { return ops.notEqual(this, b); },
  squaredDifference(b: TensorLike) { return ops.squaredDifference(this, b); },
  neg() { return ops.neg(this); },
  abs() { return ops.abs(this); },
  exp() { return ops.exp(this); },
  log() { return ops.log(this); },
  sqrt() { return ops.sqrt(this); },
  rsqrt() { return ops.rsqrt(this); },
  square() { return ops.square(this); },
  reciprocal() { return ops.reciprocal(this); },
  relu() { return ops.relu(this); },
  sigmoid() { return ops.sigmoid(this); },
  tanh() { return ops.tanh(this); },
  softplus() { return ops.softplus(this); },
  expm1() { return ops.expm1(this); },
  log1p() { return ops.log1p(this); },
  sin() { return ops.sin(this); },
  cos() { return ops.cos(this); },
  erf() { return ops.erf(this); },
  sign() { return ops.sign(this); },
  floor() { return ops.floor(this); },
  ceil() { return ops.ceil(this); },
  round() { return ops.round(this); },
  softmax(axis?: number) { return ops.softmax(this, axis); },
  logSoftmax(axis?: number) { return ops.logSoftmax(this, axis); },
  sum(axes?: Axes, keepDims?: boolean) { return ops.sum(this, axes, keepDims); },
  mean(axes?: Axes, keepDims?: boolean) { return ops.mean(this, axes, keepDims); },
  max(axes?: Axes, keepDims?: boolean) { return ops.max(this, axes, keepDims); },
  min(axes?: Axes, keepDims?: boolean) { return ops.min(this, axes, keepDims); },
  variance(axes?: Axes, keepDims?: boolean) { return ops.variance(this, axes, keepDims); },
  prod(axes?: Axes, keepDims?: boolean) { return ops.prod(this, axes, keepDims); },
  logSumExp(axes?: Axes, keepDims?: boolean) { return ops.logSumExp(this, axes, keepDims); },
  argmax(axis?: number) { return ops.argmax(this, axis); },
  argmin(axis?: number) { return ops.argmin(this, axis); },
  reshape(shape: Shape) { return ops.reshape(this, shape); },
  transpose(perm?: readonly number[]) { return ops.transpose(this, perm); },
  expandDims(axis: number) { return ops.expandDims(this, axis); },
  squeeze(axes?: Axes) { return ops.squeeze(this, axes); },
  broadcastTo(shape: Shape) { return ops.broadcastTo(this, shape); },
  slice(begin: readonly number[], size?: readonly number[]) { return ops.slice(this, begin, size); },
  pad(paddings: readonly (readonly [number, number])[], value?: number) { return ops.pad(this, paddings, value); },
  tile(reps: readonly number[]) { return ops.tile(this, reps); },
  gather(indices: ops.GatherIndices, axis?: number) { return ops.gather(this, indices, axis); },
  split(numOrSizes: number | readonly number[], axis?: number) { return ops.split(this, numOrSizes, axis); },
  clip(min: number, max: number) { return ops.clip(this, min, max); },
  cast(dtype: DType) { return ops.cast(this, dtype); },
};

Object.assign(Tensor.prototype, methods);
