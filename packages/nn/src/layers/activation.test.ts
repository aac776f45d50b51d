// Tests of Activation: the layer contract, values of named and given activations, config names, errors.
import { describe, expect, it } from 'vitest';
import { Random, type Tensor, tensor } from '@tapegrad/tensor';
import { gradCheck, mul } from '@tapegrad/autograd';
import type { LayerConfig } from '../layer.js';
import { activations } from '../activations.js';
import { Activation } from './activation.js';

function randomF64(shape: number[], seed: number): Tensor {
  const rng = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  // |x| >= 0.05: away from relu's kink
  return tensor(Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1) * (0.05 + 2 * rng.uniform())), shape);
}

describe('Activation', () => {
  it.each(['relu', 'tanh', 'sigmoid', 'elu', 'gelu', 'softplus', 'linear'])(
    "contract '%s': no weights, shape, config round trip, gradCheck",
    (name) => {
      const layer = new Activation(name, { dtype: 'float64' });
      const x = randomF64([3, 4], 2);
      const y = layer.apply(x);
      expect(layer.weights).toEqual([]);
      expect(y.shape).toEqual([3, 4]);
      expect(layer.computeOutputShape([null, 4])).toEqual([null, 4]);
      const config = layer.getConfig();
      expect(config.activation).toBe(name);
      const clone = Activation.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
      expect(clone.getConfig()).toEqual(config);
      expect(clone.apply(x).toArray()).toEqual(y.toArray());
      const report = gradCheck((t) => layer.apply(t), [x]);
      expect(report.maxRelError, report.toString()).toBeLessThan(1e-6);
    },
  );

  it('applies the named function: relu, and the Keras leaky_relu slope 0.2', () => {
    expect(new Activation('relu').apply(tensor([[-1, 0, 2]])).toArray()).toEqual([[0, 0, 2]]);
    const y = new Activation('leakyRelu', { dtype: 'float64' }).apply(tensor([[-1, 3]], undefined, 'float64'));
    expect(y.toArray()).toEqual([[-0.2, 3]]);
  });

  it('softmax normalizes the last axis', () => {
    const y = new Activation('softmax', { dtype: 'float64' }).apply(tensor([[0, Math.log(3)], [1, 1]], undefined, 'float64'));
    const rows = y.toArray() as number[][];
    expect(rows[0][0]).toBeCloseTo(0.25, 12);
    expect(rows[0][1]).toBeCloseTo(0.75, 12);
    expect(rows[1]).toEqual([0.5, 0.5]);
  });

  it('saves a camelCase name and a built-in function by their Keras snake_case names', () => {
    expect(new Activation('leakyRelu').getConfig().activation).toBe('leaky_relu');
    expect(new Activation(activations.tanh).getConfig().activation).toBe('tanh');
    expect(new Activation(null).getConfig().activation).toBe('linear');
  });

  it("takes a user's function; getConfig refuses an anonymous one", () => {
    const layer = new Activation((x) => mul(x, 2));
    expect(layer.apply(tensor([1, -2])).toArray()).toEqual([2, -4]);
    expect(() => layer.getConfig()).toThrow(/Activation\): getConfig cannot name an anonymous activation function/);
  });

  it('accepts any shape on later calls', () => {
    const layer = new Activation('relu');
    layer.apply(tensor([[1, 2]]));
    expect(layer.apply(tensor([[[-1, 1, 2]]])).shape).toEqual([1, 1, 3]);
  });

  it('names an unknown activation and lists the valid ones', () => {
    expect(() => new Activation('nope')).toThrow(/^Activation: Unknown activation 'nope'\. Valid activations: .*'relu'/);
    expect(() => new Activation(undefined as unknown as string)).toThrow(/Activation: the activation argument is required/);
    expect(() => new Activation(3 as unknown as string)).toThrow(/Activation: activation must be a name, a function or null, got number/);
  });
});
