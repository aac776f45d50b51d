import { describe, it, expect } from 'vitest';
import { tensor, randomNormal } from '@tapegrad/tensor';
import { GradientTape, grad, gradCheck, mul, sum, tanh, Variable, exp, square, mean } from './index.js';
describe('smoke', () => {
  it('works', () => {
    const x = tensor([1, 2, 3], undefined, 'float64');
    const g = grad((x) => sum(mul(x, x)))(x);
    expect(g.toArray()).toEqual([2, 4, 6]);
    const gg = grad((x) => sum(grad((y) => sum(tanh(y)))(x)))(x);
    console.log(gg.toArray());
    const r = gradCheck((a, b) => mul(a, b), [randomNormal([3, 1, 4], { dtype: 'float64', seed: 1 }), randomNormal([2, 4], { dtype: 'float64', seed: 2 })]);
    console.log(r.toString());
    const w = new Variable(tensor([1, 2]), { name: 'w' });
    const tape = new GradientTape();
    const l = tape.run(() => sum(square(w)));
    console.log(tape.toString());
    console.log(tape.gradient(l, w)!.toArray());
  });
});
