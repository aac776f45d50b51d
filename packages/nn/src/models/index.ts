// Table of contents of the models: the Model base class (training loop), Sequential, and the summary table.
export * from './model.js';
export * from './sequential.js';
export { type DataLike } from './data.js';
export { formatBytes, formatSymbolicShape } from './summary.js';
