// Weight regularizers (keras/src/regularizers): penalties added to the training loss every step.
import { type Tensor } from '@tapegrad/tensor';
import { abs, add, mul, square, sum } from '@tapegrad/autograd';
import { lookup } from './identifiers.js';

/** A penalty on a weight, added to the loss. */
export interface Regularizer {
  /** The penalty for `w`, a scalar tensor computed with differentiable ops. */
  penalty(w: Tensor): Tensor;
  /** The JSON config that rebuilds it. */
  getConfig(): RegularizerConfig;
}

/** The serialized form of a regularizer. */
export interface RegularizerConfig {
  className: 'L1' | 'L2' | 'L1L2';
  config: { l1?: number; l2?: number };
}

/** A regularizer, its name ('l1', 'l2', 'l1_l2', with Keras's default factor 0.01), or its config. */
export type RegularizerIdentifier = Regularizer | 'l1' | 'l2' | 'l1_l2' | 'l1L2' | RegularizerConfig;

/** l1·Σ|w| + l2·Σw² (no factor ½), Keras's `L1L2`. */
export class L1L2 implements Regularizer {
  constructor(readonly l1 = 0, readonly l2 = 0) {
    if (!(l1 >= 0) || !(l2 >= 0)) throw new Error(`L1L2: factors must be non-negative numbers, got l1=${l1}, l2=${l2}`);
  }
  penalty(w: Tensor): Tensor {
    const terms: Tensor[] = [];
    if (this.l1 > 0) terms.push(mul(sum(abs(w)), this.l1));
    if (this.l2 > 0) terms.push(mul(sum(square(w)), this.l2));
    // Both factors 0: Keras's constant 0.0; written on w (a zero gradient) and on |w|, so it is +0, never −0.
    if (terms.length === 0) return mul(sum(abs(w)), 0);
    return terms.length === 1 ? terms[0] : add(terms[0], terms[1]);
  }
  getConfig(): RegularizerConfig {
    return { className: 'L1L2', config: { l1: this.l1, l2: this.l2 } };
  }
}

/** l1·Σ|w| (Keras `L1`, default l1 = 0.01). */
export class L1 extends L1L2 {
  constructor(l1 = 0.01) {
    super(l1, 0);
  }
  override getConfig(): RegularizerConfig {
    return { className: 'L1', config: { l1: this.l1 } };
  }
}

/** l2·Σw² (Keras `L2`, default l2 = 0.01). */
export class L2 extends L1L2 {
  constructor(l2 = 0.01) {
    super(0, l2);
  }
  override getConfig(): RegularizerConfig {
    return { className: 'L2', config: { l2: this.l2 } };
  }
}

/**
 * The regularizer an identifier names.
 * @example `getRegularizer('l2')` is `new L2(0.01)`
 */
export function getRegularizer(id: RegularizerIdentifier): Regularizer {
  if (typeof id === 'string') {
    return lookup('regularizer', id, { l1: () => new L1(), l2: () => new L2(), l1_l2: () => new L1L2(0.01, 0.01) })();
  }
  if ('penalty' in id) return id;
  if (id.className === 'L1') return new L1(id.config.l1);
  if (id.className === 'L2') return new L2(id.config.l2);
  return new L1L2(id.config.l1, id.config.l2);
}
