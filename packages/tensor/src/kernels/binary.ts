// Binary elementwise kernels with NumPy broadcasting: one inner loop each, driven by mapBinary.
// Comparisons return 1 where true and 0 where false, in the operands' dtype (as `+(a > b)`: a flag, not a jump).
import type { Tensor } from '../tensor.js';
import { type BinaryLoop, mapBinary } from './elementwise.js';

// Each loop writes out[o + i] from a[ai] and b[bi], stepping ai by as and bi by bs (0 along a broadcast axis).
const loops = {
  add: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai] + b[bi]; }) as BinaryLoop,
  sub: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai] - b[bi]; }) as BinaryLoop,
  mul: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai] * b[bi]; }) as BinaryLoop,
  div: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = a[ai] / b[bi]; }) as BinaryLoop,
  pow: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = Math.pow(a[ai], b[bi]); }) as BinaryLoop,
  maximum: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = Math.max(a[ai], b[bi]); }) as BinaryLoop,
  minimum: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = Math.min(a[ai], b[bi]); }) as BinaryLoop,
  squaredDifference: ((out, o, n, a, ai, as, b, bi, bs) => {
    for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = (a[ai] - b[bi]) * (a[ai] - b[bi]);
  }) as BinaryLoop,
  equal: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = +(a[ai] === b[bi]); }) as BinaryLoop,
  notEqual: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = +(a[ai] !== b[bi]); }) as BinaryLoop,
  greater: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = +(a[ai] > b[bi]); }) as BinaryLoop,
  greaterEqual: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = +(a[ai] >= b[bi]); }) as BinaryLoop,
  less: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = +(a[ai] < b[bi]); }) as BinaryLoop,
  lessEqual: ((out, o, n, a, ai, as, b, bi, bs) => { for (let i = 0; i < n; i++, ai += as, bi += bs) out[o + i] = +(a[ai] <= b[bi]); }) as BinaryLoop,
};

/** a + b, elementwise with broadcasting. */
export const add = (a: Tensor, b: Tensor): Tensor => mapBinary('add', a, b, loops.add);
/** a - b, elementwise with broadcasting. */
export const sub = (a: Tensor, b: Tensor): Tensor => mapBinary('sub', a, b, loops.sub);
/** a * b, elementwise with broadcasting. */
export const mul = (a: Tensor, b: Tensor): Tensor => mapBinary('mul', a, b, loops.mul);
/** a / b, elementwise with broadcasting (IEEE: x/0 is ±inf, 0/0 is NaN). */
export const div = (a: Tensor, b: Tensor): Tensor => mapBinary('div', a, b, loops.div);
/** a ** b, elementwise with broadcasting. */
export const pow = (a: Tensor, b: Tensor): Tensor => mapBinary('pow', a, b, loops.pow);
/** The larger of a and b, elementwise with broadcasting (NaN if either is NaN). */
export const maximum = (a: Tensor, b: Tensor): Tensor => mapBinary('maximum', a, b, loops.maximum);
/** The smaller of a and b, elementwise with broadcasting (NaN if either is NaN). */
export const minimum = (a: Tensor, b: Tensor): Tensor => mapBinary('minimum', a, b, loops.minimum);
/** (a - b)², elementwise with broadcasting. */
export const squaredDifference = (a: Tensor, b: Tensor): Tensor => mapBinary('squaredDifference', a, b, loops.squaredDifference);
/** 1 where a == b, else 0. */
export const equal = (a: Tensor, b: Tensor): Tensor => mapBinary('equal', a, b, loops.equal);
/** 1 where a != b, else 0. */
export const notEqual = (a: Tensor, b: Tensor): Tensor => mapBinary('notEqual', a, b, loops.notEqual);
/** 1 where a > b, else 0. */
export const greater = (a: Tensor, b: Tensor): Tensor => mapBinary('greater', a, b, loops.greater);
/** 1 where a >= b, else 0. */
export const greaterEqual = (a: Tensor, b: Tensor): Tensor => mapBinary('greaterEqual', a, b, loops.greaterEqual);
/** 1 where a < b, else 0. */
export const less = (a: Tensor, b: Tensor): Tensor => mapBinary('less', a, b, loops.less);
/** 1 where a <= b, else 0. */
export const lessEqual = (a: Tensor, b: Tensor): Tensor => mapBinary('lessEqual', a, b, loops.lessEqual);
