// Table of contents of the kernels: every computation on tensors, none of them recorded for gradients.
// (The differentiable versions live in @tapegrad/autograd, under the same names.)
export * from './unary.js';
export * from './binary.js';
export * from './views.js';
export * from './batch-norm.js';
export * from './dense.js';
export * from './gemm.js';
export * from './reduce.js';
export * from './softmax.js';
export * from './join.js';
export * from './gather.js';
export * from './pad.js';
export * from './tile.js';
export * from './one-hot.js';
export * from './select.js';
export * from './matmul.js';
export {
  type Conv2dOptions,
  type Padding,
  type Pool2dOptions,
  type Size2d,
  PADDINGS,
} from './conv-geometry.js';
export * from './conv2d.js';
export * from './pool.js';
export * from './cross-entropy.js';
