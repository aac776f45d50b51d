// Tests of mean squared error, mean absolute error and hinge against the formulas worked as plain loops.
import { describe, expect, it } from 'vitest';
import { tensor } from '@tapegrad/tensor';
import { GradientTape } from '@tapegrad/autograd';
import { Hinge, MeanAbsoluteError, MeanSquaredError, hinge, meanAbsoluteError, meanSquaredError } from './regression.js';
import { binaryRows, f64, refHinge, refMae, refMse, uniformRows, values } from './test-utils.js';

const y = uniformRows(11, 5, 3, -2, 2);
const p = uniformRows(12, 5, 3, -2, 2);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('elementwise losses', () => {
  it('meanSquaredError and meanAbsoluteError: the mean over the last axis', () => {
    values(meanSquaredError(f64(y), f64(p))).forEach((v, i) => expect(v).toBeCloseTo(refMse(y, p)[i], 13));
    values(meanAbsoluteError(f64(y), f64(p))).forEach((v, i) => expect(v).toBeCloseTo(refMae(y, p)[i], 13));
    expect(values(meanSquaredError(f64([[1, 2]]), f64([[1, 4]])))).toEqual([2]);
    expect(values(meanAbsoluteError(f64([[1, 2]]), f64([[0, 4]])))).toEqual([1.5]);
    expect(new MeanSquaredError().compute(f64(y), f64(p)).item()).toBeCloseTo(mean(refMse(y, p)), 13);
    expect(new MeanAbsoluteError().compute(f64(y), f64(p)).item()).toBeCloseTo(mean(refMae(y, p)), 13);
  });

  it('hinge converts an all-0/1 batch of labels to ±1, and leaves other labels as they are', () => {
    const b = binaryRows(13, 5, 3);
    values(hinge(f64(b), f64(p))).forEach((v, i) => expect(v).toBeCloseTo(refHinge(b, p)[i], 13));
    const pm = b.map((r) => r.map((t) => 2 * t - 1));
    values(hinge(f64(pm), f64(p))).forEach((v, i) => expect(v).toBeCloseTo(refHinge(b, p)[i], 13));
    expect(values(hinge(f64([[1], [0]]), f64([[0.3], [-2]])))).toEqual([0.7, 0].map((v) => expect.closeTo(v, 14)));
    expect(new Hinge().compute(f64([[1], [0]]), f64([[0.3], [-2]])).item()).toBeCloseTo(0.35, 14);
    expect(values(hinge(f64([[0.5], [-1]]), f64([[1], [1]])))).toEqual([0.5, 2]); // 0.5 is not binary: no conversion
  });

  it('labels [N] against an output [N, 1] are aligned; the result is one value per sample', () => {
    expect(values(meanSquaredError(f64([1, 2, 3]), f64([[1], [4], [0]])))).toEqual([0, 4, 9]);
    expect(values(meanSquaredError(tensor([1, 2, 3]), f64([[1], [4], [0]])))).toEqual([0, 4, 9]);
  });

  it('refuses shapes that do not match after alignment', () => {
    expect(() => meanSquaredError(f64([[1, 2, 3]]), f64([[1, 2]]))).toThrow(
      "mean_squared_error: y_true [1, 3] and y_pred [1, 2] have different shapes; mean_squared_error compares y_true and y_pred element by element; give y_true the shape of the model's output",
    );
    expect(() => new MeanAbsoluteError().compute(f64([1, 2, 3]), f64([[1, 2, 3], [1, 2, 3], [1, 2, 3]]))).toThrow(/mean_absolute_error: y_true \[3\] and y_pred \[3, 3\]/);
    expect(() => new Hinge({ threshold: 1 } as never)).toThrow(/Hinge: option\(s\) not recognized: threshold/);
  });

  it('mean absolute error has gradient 0 where y = p; hinge takes the 1 - y·p side at the kink', () => {
    const pt = f64([[1, 2]]);
    const tape = new GradientTape();
    tape.watch(pt);
    const l = tape.run(() => new MeanAbsoluteError().compute(f64([[1, 0]]), pt));
    expect(values(tape.gradient(l, pt, { unconnected: 'zero' })).map((v) => v + 0)).toEqual([0, 0.5]); // + 0 turns -0 into 0
    const ph = f64([[1]]);
    const t2 = new GradientTape();
    t2.watch(ph);
    const h = t2.run(() => new Hinge().compute(f64([[1]]), ph));
    expect(values(t2.gradient(h, ph, { unconnected: 'zero' }))).toEqual([-1]);
  });
});
