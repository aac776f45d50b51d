// Losses by name (Keras `keras.losses.get` and compile's `get_loss`), and LossFunctionWrapper for plain functions.
import { type Tensor, kernels } from '@tapegrad/tensor';
import { identifierKey } from '../identifiers.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './crossentropy.js';
import { Loss, type LossOptions, squeezeOrExpandToSameRank } from './loss.js';
import { checkOptionNames } from './options.js';
import { Hinge, MeanAbsoluteError, MeanSquaredError } from './regression.js';

/** A loss function: one loss value per sample, differentiable with respect to `yPred`. */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** A loss, its Keras name ('binary_crossentropy' / 'binaryCrossentropy', 'mse', ...) or a per-sample loss function. */
export type LossIdentifier = string | Loss | LossFn;

/**
 * A Loss made from a per-sample function (Keras `keras.losses.LossFunctionWrapper`): `call` aligns the labels as
 * Keras does (labels [N] vs output [N, 1] → [N, 1]; labels cast to y_pred's dtype) and applies `fn`; `compute`
 * weights and reduces its values.
 * @example
 * ```ts
 * const loss = new LossFunctionWrapper((t, p) => mean(square(sub(t, p)), -1), { name: 'my_mse' });
 * ```
 */
export class LossFunctionWrapper extends Loss {
  readonly fn: LossFn;

  constructor(fn: LossFn, options: LossOptions = {}) {
    super({ ...options, name: options.name ?? (fn.name || 'loss') }, 'loss');
    checkOptionNames('LossFunctionWrapper', options, []);
    this.fn = fn;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = squeezeOrExpandToSameRank(kernels.cast(yTrue, yPred.dtype), yPred, true);
    return this.fn(t, p);
  }
}

/**
 * Keras 3 compile's 'crossentropy' / 'ce': picks the cross-entropy by shape (`is_binary_or_sparse_categorical`):
 * one output → binary; labels of lower rank, or a trailing 1 against several outputs → sparse; else categorical.
 */
function crossentropyByShape(yTrue: Tensor, yPred: Tensor): Tensor {
  const last = (t: Tensor): number => (t.rank === 0 ? 1 : t.shape[t.rank - 1]);
  if (last(yPred) === 1) return binaryCrossentropy(yTrue, yPred);
  if (yTrue.rank < yPred.rank || last(yTrue) === 1) return sparseCategoricalCrossentropy(yTrue, yPred);
  return categoricalCrossentropy(yTrue, yPred);
}

/** Keras's loss names (and tapegrad's 'cce'), each making its loss; the Loss's name is the name as given. */
const losses: Readonly<Record<string, (name: string) => Loss>> = {
  binary_crossentropy: (name) => new BinaryCrossentropy({ name }),
  bce: (name) => new BinaryCrossentropy({ name }),
  categorical_crossentropy: (name) => new CategoricalCrossentropy({ name }),
  cce: (name) => new CategoricalCrossentropy({ name }),
  sparse_categorical_crossentropy: (name) => new SparseCategoricalCrossentropy({ name }),
  mean_squared_error: (name) => new MeanSquaredError({ name }),
  mse: (name) => new MeanSquaredError({ name }),
  mean_absolute_error: (name) => new MeanAbsoluteError({ name }),
  mae: (name) => new MeanAbsoluteError({ name }),
  hinge: (name) => new Hinge({ name }),
  crossentropy: (name) => new LossFunctionWrapper(crossentropyByShape, { name }),
  ce: (name) => new LossFunctionWrapper(crossentropyByShape, { name }),
};

/**
 * The loss an identifier names (Keras `keras.losses.get`): a Loss is returned as is, a function is wrapped in a
 * {@link LossFunctionWrapper}, a name (snake_case or camelCase) makes a new loss with default options.
 * @throws Error listing the valid names for an unknown one.
 * @example `getLoss('binary_crossentropy')`, `getLoss('bce')`, `getLoss('meanSquaredError')`, `getLoss((t, p) => ...)`
 */
export function getLoss(id: LossIdentifier): Loss {
  if (id instanceof Loss) return id;
  if (typeof id === 'function') return new LossFunctionWrapper(id);
  if (typeof id === 'string') {
    // (not identifiers.lookup: its message would pluralize 'loss' as 'losss')
    const key = Object.keys(losses).find((k) => identifierKey(k) === identifierKey(id));
    if (key !== undefined) return losses[key](id);
    const valid = Object.keys(losses).sort().map((k) => `'${k}'`).join(', ');
    throw new Error(`Unknown loss '${id}'. Valid losses: ${valid} (snake_case or camelCase)`);
  }
  throw new Error(`getLoss: expected a loss name, a Loss or a function (yTrue, yPred) => Tensor, got ${String(id)}`);
}
