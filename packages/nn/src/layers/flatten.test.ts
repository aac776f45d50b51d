// Tests of Flatten: the layer contract, row-major order on NHWC (channel fastest), rank 1, channels_first, errors.
import { describe, expect, it } from 'vitest';
import { Random, type Tensor, tensor } from '@tapegrad/tensor';
import { gradCheck, transpose } from '@tapegrad/autograd';
import type { LayerConfig } from '../layer.js';
import { Flatten } from './flatten.js';

/** x[n, h, w, c] = 1000n + 100h + 10w + c: every element names its own position. */
function labelled(shape: [number, number, number, number]): Tensor {
  const [N, H, W, C] = shape;
  const data: number[] = [];
  for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) data.push(1000 * n + 100 * h + 10 * w + c);
  return tensor(data, shape, 'float64');
}

describe('Flatten', () => {
  it.each([[[2, 3]], [[2, 3, 4]], [[2, 2, 3, 2]], [[3]]])('contract input %j: no weights, shape, config round trip, gradCheck', (shape) => {
    const layer = new Flatten({ dtype: 'float64' });
    const rng = new Random(1);
    const x = tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
    const y = layer.apply(x);
    expect(layer.weights).toEqual([]);
    const symbolic = layer.computeOutputShape([null, ...shape.slice(1)]);
    expect(symbolic[0]).toBeNull();
    expect(y.shape).toEqual([shape[0], symbolic[1]]);
    const config = layer.getConfig();
    expect(config.dataFormat).toBe('channels_last');
    const clone = Flatten.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
    expect(clone.getConfig()).toEqual(config);
    expect(clone.apply(x).toArray()).toEqual(y.toArray());
    const report = gradCheck((t) => layer.apply(t), [x]);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });

  it('flattens NHWC row-major: the channel varies fastest, then width, then height', () => {
    const y = new Flatten().apply(labelled([2, 2, 2, 3]));
    expect(y.shape).toEqual([2, 12]);
    const rows = y.toArray() as number[][];
    expect(rows[0]).toEqual([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
    expect(rows[1]).toEqual(rows[0].map((v) => v + 1000));
  });

  it('flattens a non-contiguous view in its logical order', () => {
    // transposing NHWC to NWHC: rows read w first, then h
    const y = new Flatten().apply(transpose(labelled([1, 2, 2, 1]), [0, 2, 1, 3]));
    expect(y.toArray()).toEqual([[0, 100, 10, 110]]);
  });

  it('gives (N, 1) for a rank-1 input', () => {
    const layer = new Flatten();
    expect(layer.apply(tensor([1, 2, 3])).toArray()).toEqual([[1], [2], [3]]);
    expect(layer.computeOutputShape([null])).toEqual([null, 1]);
  });

  it("channels_first moves the channels last first, giving the same vector as the NHWC image", () => {
    const nhwc = labelled([1, 2, 2, 3]);
    const nchw = transpose(nhwc, [0, 3, 1, 2]);
    const y = new Flatten({ dataFormat: 'channels_first' }).apply(nchw);
    expect(y.toArray()).toEqual(new Flatten().apply(nhwc).toArray());
  });

  it('computes the output shape by formula, keeping unknown sizes unknown', () => {
    const layer = new Flatten();
    expect(layer.computeOutputShape([null, 4, 4, 3])).toEqual([null, 48]);
    expect(layer.computeOutputShape([null, null, 3])).toEqual([null, null]);
    expect(layer.computeOutputShape([8, 5])).toEqual([8, 5]);
  });

  it('accepts other sample shapes on later calls (Keras checks only min_ndim)', () => {
    const layer = new Flatten();
    layer.apply(tensor([[[1, 2]]]));
    expect(layer.apply(tensor([[[1], [2], [3]]])).shape).toEqual([1, 3]);
  });

  it('rejects an unknown dataFormat', () => {
    expect(() => new Flatten({ dataFormat: 'NHWC' as 'channels_last' })).toThrow(
      /^Flatten: unknown dataFormat "NHWC"; valid formats are 'channels_last' and 'channels_first'/,
    );
  });
});
