// Tests of MaxPooling2D and AveragePooling2D: the layer contract, hand-worked windows ('same' padding's odd pixel at
// the bottom/right, real-cell divisors, padded cells never winning), gradients, and errors.
import { describe, expect, it } from 'vitest';
import { Random, type Tensor, tensor } from '@tapegrad/tensor';
import { GradientTape, gradCheck, sum } from '@tapegrad/autograd';
import type { LayerConfig } from '../layer.js';
import { AveragePooling2D, MaxPooling2D, type Pooling2DOptions } from './pooling.js';

/** A [1, H, W, 1] image from rows of numbers. */
const image = (rows: number[][]): Tensor => tensor([rows.map((r) => r.map((v) => [v]))], undefined, 'float64');
/** The [H, W] plane of channel 0 of a [1, H, W, C] result. */
const plane = (y: Tensor): number[][] => (y.toArray() as number[][][][])[0].map((r) => r.map((c) => c[0]));
const grid4 = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]];
const grid3 = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];

/** Distinct values (a shuffled range, scaled) so max pooling has no ties and central differences never cross one. */
function distinct(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const perm = new Random(seed).permutation(n);
  return tensor(Float64Array.from(perm, (p) => (p - n / 2) * 0.1), shape);
}

const layers = { MaxPooling2D, AveragePooling2D } as const;

describe.each(Object.entries(layers))('%s', (className, Pool) => {
  const grid: Pooling2DOptions[] = [{}, { poolSize: 3, strides: 1, padding: 'same' }, { poolSize: [2, 3], strides: [1, 2] }, { poolSize: 2, padding: 'same' }];

  it.each(grid)('contract %j: no weights, shape, config round trip, gradCheck', (options) => {
    const layer = new Pool({ ...options, dtype: 'float64' });
    const x = distinct([2, 5, 6, 3], 1);
    const y = layer.apply(x);
    expect(layer.weights).toEqual([]);
    expect(layer.className).toBe(className);
    const symbolic = layer.computeOutputShape([null, 5, 6, 3]);
    expect(y.shape).toEqual([2, ...symbolic.slice(1)]);
    const config = layer.getConfig();
    const pool = options.poolSize ?? 2;
    expect(config).toMatchObject({ poolSize: typeof pool === 'number' ? [pool, pool] : pool, padding: options.padding ?? 'valid', dataFormat: 'channels_last' });
    const clone = Pool.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
    expect(clone.getConfig()).toEqual(config);
    expect(clone.apply(x).toArray()).toEqual(y.toArray());
    const report = gradCheck((t) => layer.apply(t), [x]);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });

  it('strides default to the pool size (Keras: strides=None)', () => {
    expect(new Pool({ poolSize: 3 }).getConfig().strides).toEqual([3, 3]);
    expect(new Pool().computeOutputShape([null, 28, 28, 16])).toEqual([null, 14, 14, 16]);
    expect(new Pool({ poolSize: 3, padding: 'same' }).computeOutputShape([null, 28, null, 2])).toEqual([null, 10, null, 2]);
  });

  it('accepts other sizes on later calls, but only rank 4', () => {
    const layer = new Pool();
    layer.apply(image(grid4));
    expect(layer.apply(image(grid3)).shape).toEqual([1, 1, 1, 1]);
    expect(() => layer.apply(tensor([[1, 2]]))).toThrow(new RegExp(`\\(${className}\\): expected an input of rank 4 \\(batch, height, width, channels\\), got \\[1, 2\\]`));
  });

  it('rejects bad options and windows that do not fit, naming the layer', () => {
    expect(() => new Pool({ poolSize: 0 })).toThrow(new RegExp(`^${className}: poolSize must be a positive integer or a pair \\[height, width\\] of them, got 0`));
    expect(() => new Pool({ strides: [1, 2, 3] as unknown as number })).toThrow(new RegExp(`^${className}: strides must be`));
    expect(() => new Pool({ padding: 'full' as 'same' })).toThrow(new RegExp(`^${className}: unknown padding "full"`));
    expect(() => new Pool({ dataFormat: 'channels_first' })).toThrow(new RegExp(`^${className}: dataFormat 'channels_first' is not supported`));
    expect(() => new Pool({ poolSize: 3 }).apply(image([[1, 2]]))).toThrow(/with padding 'valid' a window of 3 does not fit in a spatial size of 1/);
  });
});

describe('MaxPooling2D values', () => {
  it('takes the maximum of each 2×2 window', () => {
    expect(plane(new MaxPooling2D().apply(image(grid4)))).toEqual([[6, 8], [14, 16]]);
  });

  it("'same' pads at the bottom/right: windows are rows {0,1}, {2} and columns {0,1}, {2}", () => {
    const y = new MaxPooling2D({ padding: 'same' }).apply(image(grid3));
    expect(plane(y)).toEqual([[5, 6], [8, 9]]); // padding at the top/left would give 1 in the corner
  });

  it('padded cells never win, even when every real value is negative', () => {
    const y = new MaxPooling2D({ padding: 'same' }).apply(image(grid3.map((r) => r.map((v) => -v))));
    expect(plane(y)).toEqual([[-1, -3], [-7, -9]]);
  });

  it('overlapping windows (strides 1) each see their own maximum', () => {
    expect(plane(new MaxPooling2D({ strides: 1 }).apply(image(grid3)))).toEqual([[5, 6], [8, 9]]);
  });

  it("the gradient goes to each window's maximum, summed over the windows it wins", () => {
    const x = image([[1, 2, 1], [2, 9, 2], [1, 2, 1]]);
    const layer = new MaxPooling2D({ strides: 1, dtype: 'float64' });
    const tape = new GradientTape();
    tape.watch(x);
    const loss = tape.run(() => sum(layer.apply(x)));
    expect(plane(tape.gradient(loss, x) as Tensor)).toEqual([[0, 0, 0], [0, 4, 0], [0, 0, 0]]);
  });

  it('pools each channel on its own', () => {
    const x = tensor([[[[1, -1], [2, -2]], [[3, -3], [4, -4]]]]);
    expect(new MaxPooling2D().apply(x).toArray()).toEqual([[[[4, -1]]]]);
  });
});

describe('AveragePooling2D values', () => {
  it('averages each 2×2 window', () => {
    expect(plane(new AveragePooling2D().apply(image(grid4)))).toEqual([[3.5, 5.5], [11.5, 13.5]]);
  });

  it("'same' pads at the bottom/right and divides by the real cells only", () => {
    const y = new AveragePooling2D({ padding: 'same' }).apply(image(grid3));
    // windows {1,2,4,5}, {3,6}, {7,8}, {9}
    expect(plane(y)).toEqual([[3, 4.5], [7.5, 9]]);
  });

  it('the gradient shares each window equally among its real cells', () => {
    const x = image(grid3);
    const layer = new AveragePooling2D({ padding: 'same', dtype: 'float64' });
    const tape = new GradientTape();
    tape.watch(x);
    const loss = tape.run(() => sum(layer.apply(x)));
    expect(plane(tape.gradient(loss, x) as Tensor)).toEqual([[0.25, 0.25, 0.5], [0.25, 0.25, 0.5], [0.5, 0.5, 1]]);
  });
});
