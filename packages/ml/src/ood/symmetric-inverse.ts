import { CholeskyDecomposition, Matrix } from "ml-matrix";

/** Inverse of a symmetric positive-definite d×d matrix (row-major), by its Cholesky decomposition. */
export function invertSymmetricPositiveDefinite(matrix: Float64Array, d: number): Float64Array {
  const cholesky = new CholeskyDecomposition(Matrix.from1DArray(d, d, matrix));
  if (!cholesky.isPositiveDefinite()) throw new Error("matrix is not positive definite");
  return Float64Array.from(cholesky.solve(Matrix.eye(d)).to1DArray());
}
