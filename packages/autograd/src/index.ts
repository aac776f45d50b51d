// @tapegrad/autograd: reverse-mode automatic differentiation by recording ops on a tape.
import './methods.js';

export * from './ops/index.js';
export { type TensorLike, scalar } from './tensor-like.js';
export { Variable, type VariableOptions } from './variable.js';
export { defineOp, type Forward, type Op, type OpContext, type OpSpec } from './define-op.js';
export { type TapeRecord, type VjpFn, isRecording, noGrad } from './recorder.js';
export { GradientTape, type GradientOptions, type GradientTapeOptions } from './tape.js';
export { type ArgnumsOption, type Gradients, grad, stopGradient, valueAndGrad, vjp } from './grad.js';
export { type CustomGradientResult, customGradient } from './custom-gradient.js';
export { type GradCheckOptions, type GradCheckReport, type GradCheckWorst, gradCheck } from './gradcheck.js';
export { checkNumericsEnabled, setCheckNumerics } from './check-numerics.js';
export { sumToShape } from './sum-to-shape.js';
export { toDot } from './dot.js';
export { describeRecord } from './describe.js';
