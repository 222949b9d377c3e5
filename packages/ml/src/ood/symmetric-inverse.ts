/** Inverse of a symmetric positive-definite d×d matrix (row-major) by Cholesky: A = L·Lᵀ, A⁻¹ = L⁻ᵀ·L⁻¹. */
export function invertSymmetricPositiveDefinite(matrix: Float64Array, d: number): Float64Array {
  const lower = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * d + k]! * lower[j * d + k]!;
      if (i === j) {
        if (!(sum > 0)) throw new Error("matrix is not positive definite");
        lower[i * d + i] = Math.sqrt(sum);
      } else {
        lower[i * d + j] = sum / lower[j * d + j]!;
      }
    }
  }
  // Columns of L⁻¹ by forward substitution, then A⁻¹ = (L⁻¹)ᵀ·L⁻¹.
  const lowerInverse = new Float64Array(d * d);
  for (let col = 0; col < d; col++) {
    for (let i = col; i < d; i++) {
      let sum = i === col ? 1 : 0;
      for (let k = col; k < i; k++) sum -= lower[i * d + k]! * lowerInverse[k * d + col]!;
      lowerInverse[i * d + col] = sum / lower[i * d + i]!;
    }
  }
  const inverse = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < d; k++) sum += lowerInverse[k * d + i]! * lowerInverse[k * d + j]!;
      inverse[i * d + j] = sum;
      inverse[j * d + i] = sum;
    }
  }
  return inverse;
}
