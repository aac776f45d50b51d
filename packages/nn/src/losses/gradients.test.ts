// Gradient checks (float64, central differences) of every loss with respect to y_pred, and of the fused
// cross-entropy ops and kernels with respect to their logits and labels.
import { describe, expect, it } from 'vitest';
import { type Tensor, kernels, tensor } from '@tapegrad/tensor';
import { grad, gradCheck } from '@tapegrad/autograd';
import { sigmoidCrossEntropy, softmaxCrossEntropy } from '../ops/cross-entropy.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './crossentropy.js';
import { Hinge, MeanAbsoluteError, MeanSquaredError } from './regression.js';
import type { Loss } from './loss.js';
import { binaryRows, f64, oneHotRows, refBce, refCce, sigmoidOutput, softmaxOutput, uniformRows, values } from './test-utils.js';

const LABELS = [0, 2, 1, 3, 1, 0];
const W = f64([1, 0.5, 2, 0, 1.5, 1]);
const probs = (seed: number, cols: number): Tensor => f64(uniformRows(seed, 6, cols, 0.05, 0.95)); // off the clip
const logits = (seed: number, cols: number): Tensor => f64(uniformRows(seed, 6, cols, -4, 4));

const check = (f: (p: Tensor) => Tensor, x: Tensor): void => {
  const report = gradCheck(f, [x]);
  expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
};

describe('gradients of the losses with respect to y_pred', () => {
  const cases: [string, () => Loss, Tensor, () => Tensor][] = [
    ['binary_crossentropy', () => new BinaryCrossentropy({ labelSmoothing: 0.1 }), f64(binaryRows(21, 6, 3)), () => probs(22, 3)],
    ['binary_crossentropy, logits', () => new BinaryCrossentropy({ fromLogits: true }), f64(binaryRows(23, 6, 3)), () => logits(24, 3)],
    ['categorical_crossentropy', () => new CategoricalCrossentropy({ labelSmoothing: 0.1 }), f64(oneHotRows(LABELS, 4)), () => probs(25, 4)],
    ['categorical_crossentropy, logits', () => new CategoricalCrossentropy({ fromLogits: true }), f64(oneHotRows(LABELS, 4)), () => logits(26, 4)],
    ['sparse_categorical_crossentropy', () => new SparseCategoricalCrossentropy(), f64(LABELS), () => probs(27, 4)],
    ['sparse_categorical_crossentropy, logits', () => new SparseCategoricalCrossentropy({ fromLogits: true }), f64(LABELS), () => logits(28, 4)],
    ['mean_squared_error', () => new MeanSquaredError(), f64(uniformRows(29, 6, 3, -1, 1)), () => logits(30, 3)],
    ['mean_absolute_error', () => new MeanAbsoluteError(), f64(uniformRows(31, 6, 3, -1, 1)), () => logits(32, 3)],
    ['hinge', () => new Hinge(), f64(binaryRows(33, 6, 3)), () => logits(34, 3)],
  ];
  for (const [name, make, y, pred] of cases) {
    it(`${name}: reduced, unweighted and weighted`, () => {
      check((p) => make().compute(y, p, null), pred());
      check((p) => make().compute(y, p, W), pred());
    });
  }

  it('through a sigmoid or softmax output, the gradient reaches the logits (fused path)', () => {
    check((z) => new BinaryCrossentropy().compute(f64(binaryRows(35, 6, 2)), sigmoidOutput(z), W), logits(36, 2));
    check((z) => new CategoricalCrossentropy().compute(f64(oneHotRows(LABELS, 4)), softmaxOutput(z), W), logits(37, 4));
    check((z) => new SparseCategoricalCrossentropy().compute(f64(LABELS), softmaxOutput(z)), logits(38, 4));
  });
});

describe('fused cross-entropy ops', () => {
  it('sigmoidCrossEntropy: value, and gradients for logits and labels (soft labels too)', () => {
    const y = f64(uniformRows(41, 6, 3, 0, 1));
    const z = logits(42, 3);
    values(sigmoidCrossEntropy(y, z)).forEach((v, k) => {
      const yy = y.toTypedArray()[k];
      const zz = z.toTypedArray()[k];
      expect(v).toBeCloseTo(refBce([[yy]], [[zz]], { logits: true })[0], 13);
    });
    const report = gradCheck((a, b) => sigmoidCrossEntropy(a, b), [y, z]);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });

  it('softmaxCrossEntropy: value along any axis, and gradients for logits and unnormalized labels', () => {
    const y = f64(uniformRows(43, 6, 4, 0, 1)); // rows do not sum to 1: dz = softmax·Σy - y
    const z = logits(44, 4);
    const got = values(softmaxCrossEntropy(y, z));
    refCce(y.toArray() as number[][], z.toArray() as number[][], { logits: true }).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
    for (const axis of [-1, 0]) {
      const report = gradCheck((a, b) => softmaxCrossEntropy(a, b, axis), [y, z]);
      expect(report.maxRelError, `axis ${axis}: ${report.toString()}`).toBeLessThan(1e-6);
    }
    const y3 = kernels.reshape(f64(uniformRows(45, 2, 12, 0, 1)), [2, 3, 4]);
    const z3 = kernels.reshape(f64(uniformRows(46, 2, 12, -3, 3)), [2, 3, 4]);
    const r3 = gradCheck((b) => softmaxCrossEntropy(y3, b, 1), [z3]);
    expect(r3.maxRelError, r3.toString()).toBeLessThan(1e-6);
    expect(softmaxCrossEntropy(y3, z3, 1).shape).toEqual([2, 4]);
  });

  it('reads strided views of the logits (a transposed input)', () => {
    const z = logits(47, 4);
    const y = f64(oneHotRows(LABELS, 4));
    expect(values(softmaxCrossEntropy(y, kernels.transpose(kernels.transpose(z))))).toEqual(values(softmaxCrossEntropy(y, z)));
    const zT = kernels.transpose(f64(uniformRows(48, 4, 6, -2, 2))); // [6, 4], non-contiguous
    expect(zT.isContiguous).toBe(false);
    const contiguous = f64(zT.toArray() as number[][]);
    expect(values(softmaxCrossEntropy(y, zT))).toEqual(values(softmaxCrossEntropy(y, contiguous)));
    expect(values(sigmoidCrossEntropy(f64(binaryRows(49, 6, 4)), zT))).toEqual(values(sigmoidCrossEntropy(f64(binaryRows(49, 6, 4)), contiguous)));
  });

  it('is once-differentiable: a second derivative says so', () => {
    const y = f64([[1, 0]]);
    const dz = grad((z: Tensor) => softmaxCrossEntropy(y, z).sum());
    expect(values(dz(f64([[0, 0]])))).toEqual([-0.5, 0.5]);
    expect(() => grad((z: Tensor) => dz(z).sum())(f64([[0, 0]]))).toThrow(/once-differentiable/);
  });

  it('refuses operands of different shapes or dtypes', () => {
    expect(() => sigmoidCrossEntropy(f64([1, 0]), f64([1, 0, 1]))).toThrow('sigmoidCrossEntropy: labels [2] and logits [3] must have the same shape');
    expect(() => softmaxCrossEntropy(tensor([[1, 0]]), f64([[1, 0]]))).toThrow(/different dtypes/);
  });
});
