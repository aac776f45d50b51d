// The drivers of elementwise kernels: they allocate the result, broadcast the operands and hand each
// row to a kernel's inner loop. A kernel is then one loop over typed arrays, with no per-element calls.
import { type DType, type TypedArray, allocate } from '../dtype.js';
import { type Shape, broadcastShapes, formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { broadcastStrides, forEachRow } from './iterate.js';

/** Inner loop of a unary kernel: `out[o + i] = f(x[xi + i*xs])` for i < n. */
export type UnaryLoop = (out: TypedArray, o: number, n: number, x: TypedArray, xi: number, xs: number) => void;

/** Inner loop of a binary kernel: `out[o + i] = f(a[ai + i*as], b[bi + i*bs])` for i < n. */
export type BinaryLoop = (
  out: TypedArray, o: number, n: number,
  a: TypedArray, ai: number, as: number,
  b: TypedArray, bi: number, bs: number,
) => void;

/** Applies a unary inner loop to every element of `x`; the result is contiguous, of `x`'s dtype (or `dtype`). */
export function mapUnary(x: Tensor, loop: UnaryLoop, dtype: DType = x.dtype): Tensor {
  const out = allocate(dtype, x.size);
  if (x.isContiguous) loop(out, 0, x.size, x.data, x.offset, 1);
  else forEachRow(x.shape, [x], (o, n, starts, steps) => loop(out, o, n, x.data, starts[0], steps[0]));
  return new Tensor(out, x.shape);
}

/**
 * Checks that two operands share a dtype.
 * @throws Error naming `op` when they differ (tapegrad never promotes silently).
 */
export function checkSameDType(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new Error(`${op}: operands have different dtypes (${a.dtype} and ${b.dtype}); cast one with cast(x, dtype) first`);
  }
}

/** Applies a binary inner loop with NumPy broadcasting; the result has the broadcast shape. */
export function mapBinary(op: string, a: Tensor, b: Tensor, loop: BinaryLoop): Tensor {
  checkSameDType(op, a, b);
  if (a.isContiguous && b.isContiguous) {
    const common = commonLayout(a, b);
    if (common !== null) return common === 'same' ? mapSame(a, b, loop) : mapRows(a, b, loop, common === 'b-row');
  }
  const shape = broadcastShapes(a.shape, b.shape, op);
  return mapBroadcast(shape, a, b, loop);
}

/**
 * The layouts of two contiguous operands that skip the general broadcast walk: 'same' shape; one operand a single
 * element, or a vector along the other's last axis ('a-row', 'b-row'), neither adding axes to the result.
 */
function commonLayout(a: Tensor, b: Tensor): 'same' | 'a-row' | 'b-row' | null {
  if (shapesEqual(a.shape, b.shape)) return 'same';
  if (b.rank <= a.rank && a.rank > 0 && (b.size === 1 || (b.rank === 1 && b.shape[0] === a.shape[a.rank - 1]))) return 'b-row';
  if (a.rank <= b.rank && b.rank > 0 && (a.size === 1 || (a.rank === 1 && a.shape[0] === b.shape[b.rank - 1]))) return 'a-row';
  return null;
}

function mapSame(a: Tensor, b: Tensor, loop: BinaryLoop): Tensor {
  const out = allocate(a.dtype, a.size);
  loop(out, 0, a.size, a.data, a.offset, 1, b.data, b.offset, 1);
  return new Tensor(out, a.shape);
}

/** Each row along the last axis of the larger operand against the other: one element (step 0) or a vector. */
function mapRows(a: Tensor, b: Tensor, loop: BinaryLoop, bIsRow: boolean): Tensor {
  const big = bIsRow ? a : b;
  const row = bIsRow ? b : a;
  const n = big.rank === 0 ? 1 : big.shape[big.rank - 1];
  const step = row.size === 1 ? 0 : 1;
  const out = allocate(a.dtype, big.size);
  for (let o = 0, bo = big.offset; o < big.size; o += n, bo += n) {
    if (bIsRow) loop(out, o, n, a.data, bo, 1, b.data, b.offset, step);
    else loop(out, o, n, a.data, a.offset, step, b.data, bo, 1);
  }
  return new Tensor(out, big.shape);
}

function mapBroadcast(shape: Shape, a: Tensor, b: Tensor, loop: BinaryLoop): Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  const out = allocate(a.dtype, size);
  const ops = [
    { strides: broadcastStrides(a.shape, a.strides, shape), offset: a.offset },
    { strides: broadcastStrides(b.shape, b.strides, shape), offset: b.offset },
  ];
  forEachRow(shape, ops, (o, n, s, st) => loop(out, o, n, a.data, s[0], st[0], b.data, s[1], st[1]));
  return new Tensor(out, shape);
}

/** Inner loop of a ternary kernel: `out[o + i] = f(a[ai + i*as], b[bi + i*bs], c[ci + i*cs])` for i < n. */
export type TernaryLoop = (
  out: TypedArray, o: number, n: number,
  a: TypedArray, ai: number, as: number,
  b: TypedArray, bi: number, bs: number,
  c: TypedArray, ci: number, cs: number,
) => void;

/**
 * Applies a ternary inner loop with NumPy broadcasting of all three operands; the result has the joint
 * broadcast shape and dtype `dtype` (default: `b`'s). It does not compare dtypes: callers check the
 * operands that must agree (`where` lets its condition have either dtype).
 * @throws Error naming `op` when the shapes do not broadcast together.
 */
export function mapTernary(op: string, a: Tensor, b: Tensor, c: Tensor, loop: TernaryLoop, dtype: DType = b.dtype): Tensor {
  if (a.isContiguous && b.isContiguous && c.isContiguous && shapesEqual(a.shape, b.shape) && shapesEqual(a.shape, c.shape)) {
    const out = allocate(dtype, a.size);
    loop(out, 0, a.size, a.data, a.offset, 1, b.data, b.offset, 1, c.data, c.offset, 1);
    return new Tensor(out, a.shape);
  }
  const shape = broadcastShapes3(op, a.shape, b.shape, c.shape);
  let size = 1;
  for (const d of shape) size *= d;
  const out = allocate(dtype, size);
  const operands = [a, b, c].map((t) => ({ strides: broadcastStrides(t.shape, t.strides, shape), offset: t.offset }));
  forEachRow(shape, operands, (o, n, s, st) => loop(out, o, n, a.data, s[0], st[0], b.data, s[1], st[1], c.data, s[2], st[2]));
  return new Tensor(out, shape);
}

/** The shape three operands broadcast to; the error names all three shapes. */
function broadcastShapes3(op: string, a: Shape, b: Shape, c: Shape): number[] {
  try {
    return broadcastShapes(broadcastShapes(a, b, op), c, op);
  } catch {
    throw new Error(
      `${op}: shapes ${formatShape(a)}, ${formatShape(b)} and ${formatShape(c)} do not broadcast together; ` +
        'aligned from the right, each dimension must be equal across them or 1',
    );
  }
}
