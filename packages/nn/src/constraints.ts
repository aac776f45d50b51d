// Weight constraints (keras/src/constraints): projections the optimizer applies after each update.
import { type Tensor, full, kernels } from '@tapegrad/tensor';
import { lookup } from './identifiers.js';

/** A projection applied to a weight after every optimizer step. */
export interface Constraint {
  /** The constrained value of `w` (computed with kernels; not differentiated). */
  apply(w: Tensor): Tensor;
  /** The JSON config that rebuilds it. */
  getConfig(): ConstraintConfig;
}

/** The serialized form of a constraint. */
export interface ConstraintConfig {
  className: 'NonNeg' | 'MaxNorm' | 'UnitNorm' | 'MinMaxNorm';
  config: Record<string, number | number[]>;
}

/** A constraint, its name ('non_neg', 'max_norm', 'unit_norm', 'min_max_norm'), or its config. */
export type ConstraintIdentifier = Constraint | string | ConstraintConfig;

/** The L2 norm of `w` over `axis`, kept as a length-1 axis so it broadcasts back. */
function norms(w: Tensor, axis: number | number[]): Tensor {
  return kernels.sqrt(kernels.sum(kernels.square(w), axis, true));
}

/** Sets negative weights to 0 (Keras `NonNeg`). */
export class NonNeg implements Constraint {
  apply(w: Tensor): Tensor {
    return kernels.relu(w);
  }
  getConfig(): ConstraintConfig {
    return { className: 'NonNeg', config: {} };
  }
}

/** Rescales so that the norm over `axis` is at most `maxValue` (Keras `MaxNorm`, default 2, axis 0). */
export class MaxNorm implements Constraint {
  constructor(readonly maxValue = 2, readonly axis: number | number[] = 0) {}
  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    const desired = kernels.clip(n, 0, this.maxValue);
    return kernels.mul(w, kernels.div(desired, kernels.add(n, scalarLike(1e-7, w))));
  }
  getConfig(): ConstraintConfig {
    return { className: 'MaxNorm', config: { max_value: this.maxValue, axis: this.axis } };
  }
}

/** Rescales to unit norm over `axis` (Keras `UnitNorm`, default axis 0). */
export class UnitNorm implements Constraint {
  constructor(readonly axis: number | number[] = 0) {}
  apply(w: Tensor): Tensor {
    return kernels.div(w, kernels.add(norms(w, this.axis), scalarLike(1e-7, w)));
  }
  getConfig(): ConstraintConfig {
    return { className: 'UnitNorm', config: { axis: this.axis } };
  }
}

/**
 * Keeps the norm over `axis` within [minValue, maxValue], moving it there at speed `rate`
 * (Keras `MinMaxNorm`, defaults 0, 1, rate 1, axis 0).
 */
export class MinMaxNorm implements Constraint {
  constructor(readonly minValue = 0, readonly maxValue = 1, readonly rate = 1, readonly axis: number | number[] = 0) {}
  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    const clipped = kernels.clip(n, this.minValue, this.maxValue);
    const desired = kernels.add(kernels.mul(clipped, scalarLike(this.rate, w)), kernels.mul(n, scalarLike(1 - this.rate, w)));
    return kernels.mul(w, kernels.div(desired, kernels.add(n, scalarLike(1e-7, w))));
  }
  getConfig(): ConstraintConfig {
    return { className: 'MinMaxNorm', config: { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis } };
  }
}

function scalarLike(v: number, like: Tensor): Tensor {
  return full([], v, like.dtype);
}

/** The constraint an identifier names. @example `getConstraint('non_neg')` */
export function getConstraint(id: ConstraintIdentifier): Constraint {
  if (typeof id === 'string') {
    return lookup('constraint', id, {
      non_neg: () => new NonNeg(),
      max_norm: () => new MaxNorm(),
      unit_norm: () => new UnitNorm(),
      min_max_norm: () => new MinMaxNorm(),
    })();
  }
  if ('apply' in id) return id;
  const c = id.config as Record<string, number & number[]>;
  switch (id.className) {
    case 'NonNeg':
      return new NonNeg();
    case 'MaxNorm':
      return new MaxNorm(c.max_value, c.axis);
    case 'UnitNorm':
      return new UnitNorm(c.axis);
    default:
      return new MinMaxNorm(c.min_value, c.max_value, c.rate, c.axis);
  }
}
