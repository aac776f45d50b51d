// Tests of Conv2D: the layer contract over an option grid, hand-worked outputs ('same' padding's odd pixel at the
// bottom/right, strides, dilation), Keras's fans for the kernel initializer, and errors.
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '@tapegrad/tensor';
import { GradientTape, gradCheck, mul, noGrad, square, sub, sum } from '@tapegrad/autograd';
import type { LayerConfig } from '../layer.js';
import { Conv2D, type Conv2DOptions, windowOutputLength } from './conv2d.js';
import { randomF64, withWeights } from '../test-utils.js';

/** A [1, H, W, 1] image from rows of numbers. */
const image = (rows: number[][]): Tensor => tensor([rows.map((r) => r.map((v) => [v]))], undefined, 'float64');
/** The [H, W] plane of output channel f of a [1, H, W, F] result. */
const plane = (y: Tensor, f = 0): number[][] => (y.toArray() as number[][][][])[0].map((r) => r.map((c) => c[f]));

describe('Conv2D', () => {
  const grid: [number | [number, number], Conv2DOptions][] = [
    [3, {}],
    [[2, 3], { strides: 2, padding: 'same' }],
    [3, { dilationRate: 2, padding: 'same' }],
    [[3, 2], { strides: [1, 2], activation: 'tanh' }],
    [2, { useBias: false, dilationRate: [2, 1] }],
  ];

  it.each(grid)('contract kernelSize %j %j: weights, shape, config round trip, training step, gradCheck', (kernelSize, options) => {
    const layer = new Conv2D(4, kernelSize, { ...options, dtype: 'float64', biasInitializer: 'random_normal' });
    const x = randomF64([2, 5, 6, 3], 1);
    const y = layer.apply(x);
    // 1. Weights: names, shapes, trainability and order, as Keras.
    const [kh, kw] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
    const useBias = options.useBias ?? true;
    expect(layer.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      [`${layer.name}/kernel`, [kh, kw, 3, 4], true],
      ...(useBias ? [[`${layer.name}/bias`, [4], true]] : []),
    ]);
    expect(layer.countParams()).toBe(kh * kw * 3 * 4 + (useBias ? 4 : 0));
    // 2. The output shape is the formula's.
    const symbolic = layer.computeOutputShape([null, 5, 6, 3]);
    expect(y.shape).toEqual([2, ...symbolic.slice(1)]);
    // 3. getConfig → JSON → fromConfig gives the same config, and with the same weights the same output.
    const config = layer.getConfig();
    const clone = Conv2D.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
    expect(clone.getConfig()).toEqual(config);
    clone.buildFor([null, 5, 6, 3]);
    clone.setWeights(layer.getWeights());
    expect(clone.apply(x).toArray()).toEqual(y.toArray());
    // 4. One gradient step lowers a squared error.
    const target = randomF64(y.shape.slice(), 2);
    const loss = (): Tensor => sum(square(sub(layer.apply(x), target)));
    const tape = new GradientTape();
    const before = tape.run(loss);
    const grads = tape.gradient(before, layer.trainableWeights);
    noGrad(() => layer.trainableWeights.forEach((w, i) => w.assign(sub(w, mul(grads[i] as Tensor, 1e-3)))));
    expect(loss().item()).toBeLessThan(before.item());
    // 5. gradCheck with respect to the input and every trainable weight.
    const f = (xi: Tensor, k: Tensor, b?: Tensor): Tensor =>
      withWeights(layer, b === undefined ? { kernel: k } : { kernel: k, bias: b }, () => layer.apply(xi));
    const inputs = [x, ...layer.trainableWeights];
    expect(inputs.length).toBe(useBias ? 3 : 2);
    const report = gradCheck(f as (...t: Tensor[]) => Tensor, inputs);
    expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
  });

  it("'valid' on a hand-worked 3×3 image: a window sum and a diagonal difference, plus bias", () => {
    const layer = new Conv2D(2, 2, { dtype: 'float64' });
    layer.apply(image([[0, 0], [0, 0]])); // builds for one channel
    // kernel[ky][kx][c][f]: filter 0 all ones, filter 1 = [[1, 0], [0, -1]]
    layer.setWeights([tensor([[[[1, 1]], [[1, 0]]], [[[1, 0]], [[1, -1]]]], undefined, 'float64'), tensor([1, 0], undefined, 'float64')]);
    const y = layer.apply(image([[1, 2, 3], [4, 5, 6], [7, 8, 9]]));
    expect(y.shape).toEqual([1, 2, 2, 2]);
    expect(plane(y, 0)).toEqual([[13, 17], [25, 29]]); // 1+2+4+5 = 12, ... plus the bias 1
    expect(plane(y, 1)).toEqual([[-4, -4], [-4, -4]]); // x[i][j] - x[i+1][j+1]
  });

  it("'same' puts the odd padding pixel at the bottom/right (TensorFlow's convention)", () => {
    const layer = new Conv2D(1, 2, { padding: 'same', useBias: false, kernelInitializer: 'ones', dtype: 'float64' });
    const y = layer.apply(image([[1, 2, 3], [4, 5, 6], [7, 8, 9]]));
    // total padding (3-1)·1 + 2 - 3 = 1 per axis, all after: the window at (i, j) covers rows i, i+1 and columns j, j+1
    expect(plane(y)).toEqual([[12, 16, 9], [24, 28, 15], [15, 17, 9]]);
  });

  it("'same' with strides 2: out = ceil(in/2), and the extra padding again at the bottom/right", () => {
    const layer = new Conv2D(1, 3, { strides: 2, padding: 'same', useBias: false, kernelInitializer: 'ones', dtype: 'float64' });
    const x = image([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
    const y = layer.apply(x);
    // out 2; total (2-1)·2 + 3 - 4 = 1: top 0, bottom 1. Windows: rows 0-2 and 2-3(+pad), same for columns.
    expect(plane(y)).toEqual([[1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11, 3 + 4 + 7 + 8 + 11 + 12], [9 + 10 + 11 + 13 + 14 + 15, 11 + 12 + 15 + 16]]);
    expect(layer.computeOutputShape([null, 4, 4, 1])).toEqual([null, 2, 2, 1]);
  });

  it('dilation spreads the taps: a 2×2 kernel with dilation 2 reads corners of a 3×3 block', () => {
    const layer = new Conv2D(1, 2, { dilationRate: 2, useBias: false, kernelInitializer: 'ones', dtype: 'float64' });
    const rows = [0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].map((j) => 5 * i + j));
    const y = layer.apply(image(rows));
    expect(y.shape).toEqual([1, 3, 3, 1]); // ke = 3: 5 - 3 + 1
    const want = [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows[i][j] + rows[i][j + 2] + rows[i + 2][j] + rows[i + 2][j + 2]));
    expect(plane(y)).toEqual(want);
  });

  it('applies the activation after the bias; saves it by its Keras name', () => {
    const layer = new Conv2D(1, 1, { activation: 'relu', kernelInitializer: 'ones', biasInitializer: { className: 'Constant', config: { value: -2 } }, dtype: 'float64' });
    expect(plane(layer.apply(image([[1, 3], [2, 5]])))).toEqual([[0, 1], [0, 3]]);
    expect(new Conv2D(1, 1, { activation: 'leakyRelu' }).getConfig().activation).toBe('leaky_relu');
    expect(new Conv2D(1, 1).getConfig().activation).toBe('linear');
    const anonymous = [(x: Tensor): Tensor => x][0]; // an arrow written as `activation: (x) => x` would be named 'activation'
    expect(() => new Conv2D(1, 1, { activation: anonymous }).getConfig()).toThrow(/\(Conv2D\): getConfig cannot name an anonymous activation function/);
  });

  it("glorot_uniform uses Keras's conv fans (receptive field included): limit sqrt(6/(9·8 + 9·16)) = 1/6", () => {
    const layer = new Conv2D(16, 3);
    layer.buildFor([null, 8, 8, 8]);
    const k = Array.from(layer.kernel.toTypedArray()).map(Math.abs);
    expect(k.length).toBe(1152);
    // without the receptive field the limit would be sqrt(6/24) = 0.5
    expect(Math.max(...k)).toBeLessThanOrEqual(1 / 6);
    expect(Math.max(...k)).toBeGreaterThan(0.98 / 6);
    expect(Array.from((layer.bias as Tensor).toTypedArray())).toEqual(new Array(16).fill(0));
  });

  it('computes output sizes by Keras rules, keeping unknown sizes unknown', () => {
    expect(new Conv2D(8, 3).computeOutputShape([null, 28, 28, 1])).toEqual([null, 26, 26, 8]);
    expect(new Conv2D(8, 3, { strides: 2 }).computeOutputShape([null, 28, 27, 1])).toEqual([null, 13, 13, 8]);
    expect(new Conv2D(8, 3, { strides: 2, padding: 'same' }).computeOutputShape([null, 28, 27, 1])).toEqual([null, 14, 14, 8]);
    expect(new Conv2D(8, 3, { dilationRate: 3 }).computeOutputShape([null, 10, null, 1])).toEqual([null, 4, null, 8]);
    expect(windowOutputLength(5, 3, 2, 1, 'valid', 'x')).toBe(2);
    expect(windowOutputLength(null, 3, 2, 1, 'same', 'x')).toBeNull();
  });

  it('accepts other image sizes later but not another channel count (as Keras input spec)', () => {
    const layer = new Conv2D(2, 3, { padding: 'same' });
    layer.apply(tensor(new Float32Array(1 * 5 * 5 * 3), [1, 5, 5, 3]));
    expect(layer.apply(tensor(new Float32Array(2 * 7 * 4 * 3), [2, 7, 4, 3])).shape).toEqual([2, 7, 4, 2]);
    expect(() => layer.apply(tensor(new Float32Array(5 * 5 * 2), [1, 5, 5, 2]))).toThrow(
      /conv2d(_\d+)? \(Conv2D\): expected an input \(batch, height, width, 3\), got \[1, 5, 5, 2\]/,
    );
  });

  it('rejects bad options with the layer, the value and what is valid', () => {
    expect(() => new Conv2D(0, 3)).toThrow(/^Conv2D: filters must be a positive integer, got 0/);
    expect(() => new Conv2D(4, [3] as unknown as number)).toThrow(/^Conv2D: kernelSize must be a positive integer or a pair \[height, width\] of them, got \[3\]/);
    expect(() => new Conv2D(4, 3, { strides: 0 })).toThrow(/Conv2D: strides must be a positive integer .* got 0/);
    expect(() => new Conv2D(4, 3, { strides: 2, dilationRate: 2 })).toThrow(/Conv2D: strides > 1 is not supported together with dilationRate > 1/);
    expect(() => new Conv2D(4, 3, { groups: 2 })).toThrow(/Conv2D: groups 2 is not supported; only groups 1/);
    expect(() => new Conv2D(4, 3, { dataFormat: 'channels_first' })).toThrow(/Conv2D: dataFormat 'channels_first' is not supported/);
    expect(() => new Conv2D(4, 3, { padding: 'causal' as 'same' })).toThrow(/Conv2D: unknown padding "causal"; valid paddings are 'valid' and 'same'/);
    expect(() => new Conv2D(4, 3, { activation: 'nope' })).toThrow(/Conv2D: Unknown activation 'nope'/);
    expect(new Conv2D(4, 3, { padding: 'SAME' as 'same' }).padding).toBe('same'); // Keras lower-cases
  });

  it('rejects inputs it cannot convolve, naming the layer', () => {
    expect(() => new Conv2D(4, 3).apply(tensor(new Float32Array(12), [1, 4, 3]))).toThrow(/\(Conv2D\): expected an input of rank 4/);
    expect(() => new Conv2D(4, 3).computeOutputShape([null, 2, 5, 1])).toThrow(
      /\(Conv2D\): with padding 'valid' a window of 3 does not fit in a spatial size of 2; use a smaller window or padding 'same'/,
    );
  });
});
