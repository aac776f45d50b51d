// General matrix multiply on typed arrays (BLAS gemm, row-major): the one routine matmul and conv2d share.
import type { TypedArray } from '../dtype.js';

/**
 * C = op(A)·op(B) (or C += op(A)·op(B) when `accumulate`), row-major.
 *
 * op(A) is m×k: element (i, p) is `a[aOff + i*lda + p]`, or `a[aOff + p*lda + i]` when `transA`.
 * op(B) is k×n: element (p, j) is `b[bOff + p*ldb + j]`, or `b[bOff + j*ldb + p]` when `transB`.
 * C is m×n: element (i, j) is `c[cOff + i*ldc + j]`.
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: TypedArray, aOff: number, lda: number,
  b: TypedArray, bOff: number, ldb: number,
  c: TypedArray, cOff: number, ldc: number,
  accumulate: boolean,
): void {
  const ai = transA ? 1 : lda; // step of A's row index i
  const ap = transA ? lda : 1; // step of A's inner index p
  const bp = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = accumulate ? c[cOff + i * ldc + j] : 0;
      for (let p = 0; p < k; p++) s += a[aOff + i * ai + p * ap] * b[bOff + p * bp + j * bj];
      c[cOff + i * ldc + j] = s;
    }
  }
}
