// sumToShape: undoes broadcasting in the backward pass by summing a gradient over the axes that were stretched.
import { type Shape, type Tensor, shapesEqual } from '@tapegrad/tensor';
import { sum } from './ops/reduce.js';
import { reshape } from './ops/shape.js';

/**
 * Sums `g` (of a broadcast shape) down to `shape`: over its extra leading axes and over every axis where
 * `shape` has 1. With differentiable ops, so second derivatives pass through it.
 * @example `sumToShape(ones([4, 3]), [3])` is [4, 4, 4]
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return reshape(sum(g, axes), shape);
}
