// Matrix products of tensors: 2-D, batched with broadcasting, and NumPy's rules for vectors, all on gemm.
import { type TypedArray, allocate } from '../dtype.js';
import { type Shape, formatShape } from '../shape.js';
import { copyToContiguous } from '../strided.js';
import { Tensor } from '../tensor.js';
import { checkSameDType } from './elementwise.js';
import { gemm } from './gemm.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Multiply by the transpose of the last two axes of `a` (ignored for a 1-D `a`). */
  transposeA?: boolean;
  /** Multiply by the transpose of the last two axes of `b` (ignored for a 1-D `b`). */
  transposeB?: boolean;
}

/** One operand as gemm sees it: a stack of matrices op(X) (rows × cols) read in place or from a copy. */
interface Operand {
  readonly data: TypedArray;
  readonly offset: number;
  readonly batchShape: readonly number[];
  readonly batchStrides: readonly number[];
  readonly rows: number;
  readonly cols: number;
  /** True when element (i, j) is at `offset + j*ld + i` (a transposed row-major matrix), else at `offset + i*ld + j`. */
  readonly trans: boolean;
  readonly ld: number;
}

/**
 * The matrix product of `a` and `b`: C[..., i, j] = Σₚ A[..., i, p] · B[..., p, j].
 *
 * Operands of rank ≥ 2 are stacks of matrices in their last two axes; the leading (batch) axes broadcast
 * by NumPy's rule. As in NumPy, a 1-D `a` is a row vector and a 1-D `b` a column vector, and that axis is
 * removed from the result. `transposeA` / `transposeB` use the transpose of the last two axes instead.
 * Transposed and other views with one unit stride in their last two axes are read in place, without copying.
 * The result is contiguous, of the operands' (common) dtype.
 *
 * @throws Error for scalar operands, different dtypes, inner dimensions that differ, or batch axes that do not broadcast.
 * @example
 * ```ts
 * const a = tensor([[1, 2, 3], [4, 5, 6]]);           // [2, 3]
 * const b = tensor([[7, 8], [9, 10], [11, 12]]);      // [3, 2]
 * matmul(a, b).toArray();                             // [[58, 64], [139, 154]]
 * matmul(a, a, { transposeB: true }).toArray();       // a·aᵀ = [[14, 32], [32, 77]]
 * matmul(tensor([1, 1]), a).toArray();                // [5, 7, 9]
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  checkSameDType('matmul', a, b);
  if (a.rank === 0 || b.rank === 0) {
    throw new Error(
      `matmul: operands must have at least one axis, got ${formatShape(a.shape)} @ ${formatShape(b.shape)}; ` +
        'scale by a scalar with mul instead',
    );
  }
  const transA = options.transposeA === true;
  const transB = options.transposeB === true;
  const A = operand(a, transA, true);
  const B = operand(b, transB, false);
  if (A.cols !== B.rows) {
    const flags = [transA ? 'transposeA' : '', transB ? 'transposeB' : ''].filter((f) => f).join(' and ');
    throw new Error(
      `matmul: inner dimensions differ, ${formatShape(a.shape)} @ ${formatShape(b.shape)}${flags ? ` with ${flags}` : ''} ` +
        `(${A.cols} ≠ ${B.rows})`,
    );
  }
  const batch = batchShape(a, b, A.batchShape, B.batchShape);
  const shape = [...batch, ...(a.rank === 1 ? [] : [A.rows]), ...(b.rank === 1 ? [] : [B.cols])];
  const m = A.rows;
  const n = B.cols;
  const k = A.cols;
  let count = 1;
  for (const d of batch) count *= d;
  const out = allocate(a.dtype, count * m * n);
  if (count * m * n > 0 && k > 0) multiplyBatches(A, B, batch, out, m, n, k);
  return new Tensor(out, shape);
}

/** Describes `x` (or its transpose) as gemm operands, copying only when neither matrix axis has a unit stride. */
function operand(x: Tensor, transpose: boolean, left: boolean): Operand {
  const r = x.rank;
  if (r === 1) {
    // A row vector [1, k] on the left, a column vector [k, 1] on the right; either way one axis has length 1.
    const len = x.shape[0];
    const s = x.strides[0];
    return (left ? layout(x, [], [], 1, len, 0, s) : layout(x, [], [], len, 1, s, 0)) as Operand;
  }
  let rows = x.shape[r - 2];
  let cols = x.shape[r - 1];
  let rs = x.strides[r - 2];
  let cs = x.strides[r - 1];
  if (transpose) [rows, cols, rs, cs] = [cols, rows, cs, rs];
  const op = layout(x, x.shape.slice(0, r - 2), x.strides.slice(0, r - 2), rows, cols, rs, cs);
  if (op) return op;
  // Neither matrix axis has a unit stride: gemm reads a row-major copy instead.
  return operand(new Tensor(copyToContiguous(x), x.shape), transpose, left);
}

/** The gemm view of a rows × cols matrix with strides (rs, cs): row-major, transposed, or null when neither fits. */
function layout(x: Tensor, batchShape: Shape, batchStrides: Shape, rows: number, cols: number, rs: number, cs: number): Operand | null {
  // An axis of length ≤ 1 never steps, so its stride does not matter.
  const rowMajor = cols <= 1 || cs === 1;
  if (!rowMajor && rows > 1 && rs !== 1) return null;
  const ld = rowMajor ? (rows <= 1 ? 0 : rs) : cs;
  return { data: x.data, offset: x.offset, batchShape, batchStrides, rows, cols, trans: !rowMajor, ld };
}

/** The broadcast batch shape of the two operands, or an error naming both shapes. */
function batchShape(a: Tensor, b: Tensor, ba: Shape, bb: Shape): number[] {
  const rank = Math.max(ba.length, bb.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - ba.length ? 1 : ba[i - (rank - ba.length)];
    const db = i < rank - bb.length ? 1 : bb[i - (rank - bb.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `matmul: batch dimensions do not broadcast, ${formatShape(a.shape)} @ ${formatShape(b.shape)} ` +
          `(batch ${formatShape(ba)} vs ${formatShape(bb)}: ${da} vs ${db}); they must be equal or 1`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** The strides of an operand's batch axes over the broadcast batch shape (0 where it is stretched or absent). */
function alignedStrides(op: Operand, batch: Shape): number[] {
  const lead = batch.length - op.batchShape.length;
  return batch.map((_, i) => (i < lead || op.batchShape[i - lead] === 1 ? 0 : op.batchStrides[i - lead]));
}

/** Runs gemm once per batch entry (or once in all when A's batches stack into one tall matrix). */
function multiplyBatches(A: Operand, B: Operand, batch: Shape, out: TypedArray, m: number, n: number, k: number): void {
  const sa = alignedStrides(A, batch);
  const sb = alignedStrides(B, batch);
  let count = 1;
  for (const d of batch) count *= d;
  const tallLd = count > 1 ? stacksIntoRows(A, sa, sb, batch, m) : null;
  if (tallLd !== null) {
    gemm(false, B.trans, count * m, n, k, A.data, A.offset, tallLd, B.data, B.offset, B.ld, out, 0, n, false);
    return;
  }
  const index = new Array<number>(batch.length).fill(0);
  let offA = A.offset;
  let offB = B.offset;
  for (let t = 0; t < count; t++) {
    gemm(A.trans, B.trans, m, n, k, A.data, offA, A.ld, B.data, offB, B.ld, out, t * m * n, n, false);
    // Advance the batch index like an odometer, last axis fastest.
    for (let d = batch.length - 1; d >= 0; d--) {
      index[d]++;
      offA += sa[d];
      offB += sb[d];
      if (index[d] < batch[d]) break;
      offA -= sa[d] * batch[d];
      offB -= sb[d] * batch[d];
      index[d] = 0;
    }
  }
}

/**
 * When B is the same matrix for every batch entry and A's matrices lie one after another with evenly spaced
 * rows, the whole batch is one (count·m) × k row-major matrix times B: returns that matrix's row stride, else null.
 */
function stacksIntoRows(A: Operand, sa: Shape, sb: Shape, batch: Shape, m: number): number | null {
  if (A.trans) return null;
  let inner = batch.length - 1;
  while (inner >= 0 && batch[inner] === 1) inner--;
  const ld = m > 1 || inner < 0 ? A.ld : sa[inner]; // the row stride of the tall matrix
  let step = m * ld; // the stride a batch axis needs: the extent of all the rows after it
  for (let d = inner; d >= 0; d--) {
    if (batch[d] === 1) continue;
    if (sb[d] !== 0 || sa[d] !== step) return null;
    step *= batch[d];
  }
  return ld;
}
