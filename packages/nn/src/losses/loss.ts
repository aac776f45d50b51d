// The Loss base class with Keras 3's reductions (losses/loss.py), and the shape pipeline every loss shares.
import { type Tensor, broadcastShapes, formatShape, full, kernels, shapesEqual } from '@tapegrad/tensor';
import { div, expandDims, mul, reshape, squeeze, sum } from '@tapegrad/autograd';
import { logitsOf, markLogits } from '../ops/logits.js';

/**
 * How per-sample losses become one number (Keras 3 `reduction`): 'sum_over_batch_size' (default) and 'mean' divide
 * Σ w·l by the number of loss values, even with sample weights; 'mean_with_sample_weight' divides by Σ w; 'sum'
 * does not divide; 'none' returns the weighted per-sample values.
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none';

/** Every valid {@link Reduction}. */
export const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none'];

/** Options every loss class accepts. */
export interface LossOptions {
  /** Default 'sum_over_batch_size'. */
  reduction?: Reduction;
  /** Default the snake_case loss name ('binary_crossentropy'). */
  name?: string;
}

/** The JSON-able configuration of a loss (Keras's get_config, keys camelCased). */
export type LossConfig = { name: string; reduction: Reduction; [key: string]: unknown };

/** Per-sample losses and, for losses that skip entries (ignoreClass), which entries count (1) or not (0). */
export interface MaskedValues {
  readonly values: Tensor;
  readonly mask: Tensor | null;
}

/**
 * The base class of losses (Keras `keras.losses.Loss`): `call` gives one differentiable value per sample,
 * `compute` weights and reduces them to the scalar that training minimizes.
 * @example
 * ```ts
 * class MeanCubicError extends Loss {
 *   constructor() { super({}, 'mean_cubic_error'); }
 *   call(yTrue: Tensor, yPred: Tensor) { return mean(abs(pow(sub(yTrue, yPred), 3)), -1); }
 * }
 * ```
 */
export abstract class Loss {
  /** The loss's name. */
  readonly name: string;
  /** How `compute` reduces the per-sample values. */
  readonly reduction: Reduction;

  constructor(options: LossOptions, defaultName: string) {
    const reduction = options.reduction ?? 'sum_over_batch_size';
    if (!REDUCTIONS.includes(reduction)) {
      throw new Error(`${defaultName}: invalid reduction '${String(reduction)}'; valid reductions: ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}`);
    }
    this.reduction = reduction;
    this.name = options.name ?? defaultName;
  }

  /** One loss value per sample, differentiable with respect to `yPred`. */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  /** The per-sample values with a mask of the entries that count (only losses that skip entries override it). */
  protected callMasked(yTrue: Tensor, yPred: Tensor): MaskedValues {
    return { values: this.call(yTrue, yPred), mask: null };
  }

  /**
   * The loss of a batch as a scalar: the per-sample values times `sampleWeight`, reduced by {@link reduction}
   * (Keras's `Loss.__call__`). With 'none' the weighted per-sample values come back instead.
   * @example `new BinaryCrossentropy().compute(yTrue, yPred, null).item()`
   */
  compute(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null = null): Tensor {
    const { values, mask } = this.callMasked(yTrue, yPred);
    return reduceWeightedValues(values, sampleWeight, mask, this.reduction, this.name);
  }

  /** The loss's configuration: `{ name, reduction }` plus the options of the subclass. */
  getConfig(): LossConfig {
    return { name: this.name, reduction: this.reduction };
  }
}

/** `t` with a trailing axis of 1 added (a constant tensor, so a kernel view). */
const expandConst = (t: Tensor): Tensor => kernels.expandDims(t, -1);
/** `t` without its trailing axis of 1. */
const squeezeConst = (t: Tensor): Tensor => kernels.squeeze(t, [t.rank - 1]);

/**
 * Keras's `squeeze_or_expand_to_same_rank`: when the ranks differ by one and the longer ends in 1, a rank-1 shorter
 * one gets a trailing 1 (labels (N,) vs output (N, 1) → both (N, 1)); otherwise the longer one loses its trailing 1.
 * `a` is constant (labels, weights, masks) and reshaped with kernels; `b` with ops when `bIsDifferentiable`.
 * @example `squeezeOrExpandToSameRank(labels, output, true)` turns labels [32] and output [32, 1] into two [32, 1] tensors
 */
export function squeezeOrExpandToSameRank(a: Tensor, b: Tensor, bIsDifferentiable: boolean): [Tensor, Tensor] {
  const last = (t: Tensor): number => t.shape[t.rank - 1];
  const bExpand = (t: Tensor): Tensor => (bIsDifferentiable ? expandDims(t, -1) : expandConst(t));
  const bSqueeze = (t: Tensor): Tensor => (bIsDifferentiable ? squeeze(t, -1) : squeezeConst(t));
  if (a.rank === b.rank + 1 && last(a) === 1) return b.rank === 1 ? [a, bExpand(b)] : [squeezeConst(a), b];
  if (b.rank === a.rank + 1 && last(b) === 1) return a.rank === 1 ? [expandConst(a), b] : [a, bSqueeze(b)];
  return [a, b];
}

/**
 * The labels and predictions of a loss, aligned as Keras aligns them, labels cast to the predictions' dtype.
 * A prediction that loses a trailing 1 keeps its sigmoid logits (reshaped alike), so the stable path still applies.
 * Porting note: Keras's TF backend would lose the logits through that squeeze (a rare case: labels [N, T] against
 * an output [N, T, 1]); a reshape does not change the loss, so tapegrad keeps them.
 * @example `const [t, p] = alignLabels(yTrue, yPred)` (float32 labels [N] with float64 output [N, 1] → both float64 [N, 1])
 */
export function alignLabels(yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  const labels = kernels.cast(yTrue, yPred.dtype);
  const [t, p] = squeezeOrExpandToSameRank(labels, yPred, true);
  const source = logitsOf(yPred);
  if (p !== yPred && source?.kind === 'sigmoid') markLogits(p, 'sigmoid', reshape(source.logits, p.shape));
  return [t, p];
}

/**
 * Throws unless the aligned labels `t` and predictions `p` have one shape. The error names the loss and the shapes
 * as given (`yTrue`, `yPred`), then `hint()`, what would fit.
 * @example `checkSameShape('mse', yTrue, yPred, t, p, () => 'give y_true the shape of the output')`
 */
export function checkSameShape(loss: string, yTrue: Tensor, yPred: Tensor, t: Tensor, p: Tensor, hint: () => string): void {
  if (shapesEqual(t.shape, p.shape)) return;
  throw new Error(`${loss}: y_true ${formatShape(yTrue.shape)} and y_pred ${formatShape(yPred.shape)} have different shapes; ${hint()}`);
}

/**
 * Keras's `apply_mask`: folds a mask of valid entries into the sample weights. For the mean reductions the valid
 * entries are scaled by total/valid, so the mean runs over the valid entries only.
 */
function applyMask(weight: Tensor | null, mask: Tensor, reduction: Reduction): Tensor {
  let m = mask;
  if (reduction === 'mean' || reduction === 'sum_over_batch_size') {
    const valid = kernels.sum(mask).item();
    const scale = valid === 0 ? 0 : mask.size / valid; // divide_no_nan
    m = kernels.mul(mask, full([], scale, mask.dtype));
  }
  if (weight === null) return m;
  const [m2, w2] = squeezeOrExpandToSameRank(m, weight, false);
  return kernels.mul(w2, m2);
}

/**
 * Keras's `reduce_weighted_values`: weights the per-sample `values` (aligned by {@link squeezeOrExpandToSameRank})
 * and reduces them. sum_over_batch_size / mean: Σ w·l / (number of values); mean_with_sample_weight: Σ w·l / Σ w
 * (0 when Σ w = 0); sum: Σ w·l; none: w·l. A scalar or empty `values` comes back as it is.
 * @throws Error naming the loss when the weights and the values do not broadcast together.
 * @example `reduceWeightedValues(perSample, weights, null, 'sum_over_batch_size', 'mse')`
 */
export function reduceWeightedValues(
  values: Tensor, sampleWeight: Tensor | null, mask: Tensor | null, reduction: Reduction, lossName: string,
): Tensor {
  let w = sampleWeight === null ? null : kernels.cast(sampleWeight, values.dtype);
  if (mask !== null) w = applyMask(w, kernels.cast(mask, values.dtype), reduction);
  let v = values;
  if (w !== null) {
    [w, v] = squeezeOrExpandToSameRank(w, v, true);
    checkWeightShape(lossName, w, v);
    v = mul(v, w);
  }
  if (reduction === 'none' || v.rank === 0 || (v.rank === 1 && v.shape[0] === 0)) return v;
  const total = sum(v);
  if (reduction === 'sum') return total;
  const divisor = reduction === 'mean_with_sample_weight' && w !== null ? kernels.sum(kernels.cast(w, 'float64')).item() : v.size;
  return divisor === 0 ? mul(total, 0) : div(total, divisor);
}

/** Throws unless the weights and the values broadcast together (Keras multiplies them with broadcasting). */
function checkWeightShape(lossName: string, w: Tensor, v: Tensor): void {
  try {
    broadcastShapes(w.shape, v.shape, lossName);
  } catch {
    throw new Error(
      `${lossName}: sample weights ${formatShape(w.shape)} do not fit the per-sample losses ${formatShape(v.shape)}; ` +
        `pass one weight per sample, shape [${v.shape[0] ?? 1}]`,
    );
  }
}
