// Table of contents of the differentiable ops, one file per family.
export * from './unary.js';
export * from './binary.js';
export * from './reduce.js';
export * from './shape.js';
export * from './select.js';
