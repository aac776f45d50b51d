// A first look at tapegrad's tensors: creation, views, broadcasting and a matrix product.
// Run: pnpm tsx examples/hello/main.ts
import { arange, kernels, randomNormal, setSeed, tensor } from 'tapegrad';

setSeed(0);

const a = tensor([[1, 2, 3], [4, 5, 6]]);
console.log('a =', a.toString());

// A transpose is a view: same data, swapped strides.
const at = kernels.transpose(a);
console.log('\naᵀ =', at.toString(), `(strides ${JSON.stringify(at.strides)}, contiguous: ${at.isContiguous})`);

// Broadcasting: a row vector added to every row.
console.log('\na + [10, 20, 30] =', kernels.add(a, tensor([10, 20, 30])).toString());

// matmul reads the transposed view in place.
console.log('\na · aᵀ =', kernels.matmul(a, at).toString());

const w = randomNormal([3, 2], { seed: 1 });
console.log('\nw ~ N(0, 1) =', w.toString());
console.log('\na · w =', kernels.matmul(a, w).toString());

console.log('\narange(12) as [3, 4], summed over axis 0:', kernels.sum(kernels.reshape(arange(12), [3, 4]), 0).toString());
