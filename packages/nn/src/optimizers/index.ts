// Table of contents of the optimizers: the base class, Keras's five optimizers, schedules, string lookup.
export * from './optimizer.js';
export * from './sgd.js';
export * from './adam.js';
export * from './adamw.js';
export * from './rmsprop.js';
export * from './adagrad.js';
export * from './schedules.js';
export * from './get-optimizer.js';
