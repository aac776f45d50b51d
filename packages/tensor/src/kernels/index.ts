// Table of contents of the kernels: every computation on tensors, none of them recorded for gradients.
// (The differentiable versions live in @tapegrad/autograd, under the same names.)
export * from './unary.js';
export * from './binary.js';
export * from './views.js';
