// Table of contents of the differentiable ops, one file per family.
export * from './unary.js';
export * from './binary.js';
export * from './reduce.js';
export * from './softmax.js';
export * from './matmul.js';
export * from './shape.js';
export * from './select.js';
export * from './join.js';
export * from './gather.js';
export * from './tile.js';
export * from './one-hot.js';
export * from './conv.js';
export * from './pool.js';
