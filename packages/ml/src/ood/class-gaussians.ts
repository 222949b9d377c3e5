import { invertSymmetricPositiveDefinite } from "./symmetric-inverse.js";

/**
 * Class-conditional Gaussians with one shared covariance (Lee et al. 2018, "A simple unified
 * framework for detecting out-of-distribution samples and adversarial attacks").
 */
export interface ClassGaussians {
  dimensions: number;
  /** One mean per class, `dimensions` values each. */
  means: Float64Array[];
  /** Inverse of the shrunk shared covariance, dimensions² values, row-major. */
  precision: Float64Array;
}

/** Variances below this share of the mean variance are raised to it, so a feature constant in training cannot make the covariance singular. */
const VARIANCE_FLOOR = 1e-3;

/**
 * Fits the class means and the pooled within-class covariance (maximum likelihood, 1/n), shrunk
 * towards its own diagonal: Σ' = (1 − shrinkage)·Σ + shrinkage·diag(Σ), with variances floored.
 * Shrinking the correlations keeps the inverse stable when features outnumber what the images can pin down.
 */
export function fitClassGaussians(
  rows: readonly ArrayLike<number>[],
  labels: readonly number[],
  classCount: number,
  shrinkage: number,
): ClassGaussians {
  const [first] = rows;
  if (!first || rows.length !== labels.length) throw new Error("need one label per feature row, and at least one row");
  if (!(shrinkage >= 0 && shrinkage <= 1)) throw new Error("shrinkage must lie in [0, 1]");
  const d = first.length;
  const means = Array.from({ length: classCount }, () => new Float64Array(d));
  const counts = new Array<number>(classCount).fill(0);
  rows.forEach((row, n) => {
    const mean = means[labels[n]!]!;
    for (let j = 0; j < d; j++) mean[j]! += row[j]!;
    counts[labels[n]!]!++;
  });
  if (counts.some((count) => count === 0)) throw new Error("every class needs at least one row");
  means.forEach((mean, c) => mean.forEach((sum, j) => (mean[j] = sum / counts[c]!)));

  const covariance = new Float64Array(d * d);
  const centred = new Float64Array(d);
  rows.forEach((row, n) => {
    const mean = means[labels[n]!]!;
    for (let j = 0; j < d; j++) centred[j] = row[j]! - mean[j]!;
    for (let i = 0; i < d; i++) {
      const ci = centred[i]!;
      for (let j = 0; j <= i; j++) covariance[i * d + j]! += ci * centred[j]!;
    }
  });
  const variances = Array.from({ length: d }, (_, i) => covariance[i * d + i]! / rows.length);
  const floor = VARIANCE_FLOOR * (variances.reduce((a, b) => a + b, 0) / d) || Number.MIN_VALUE;
  const shrunk = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const value = (1 - shrinkage) * (covariance[i * d + j]! / rows.length);
      shrunk[i * d + j] = value;
      shrunk[j * d + i] = value;
    }
    shrunk[i * d + i] = Math.max(variances[i]!, floor);
  }
  return { dimensions: d, means, precision: invertSymmetricPositiveDefinite(shrunk, d) };
}

/** Squared Mahalanobis distance to the nearest class mean: Lee et al.'s confidence score, negated (higher = less like the training data). */
export function nearestClassDistance(gaussians: ClassGaussians, x: ArrayLike<number>): number {
  const { dimensions: d, precision } = gaussians;
  const diff = new Float64Array(d);
  let nearest = Infinity;
  for (const mean of gaussians.means) {
    for (let j = 0; j < d; j++) diff[j] = x[j]! - mean[j]!;
    let distance = 0;
    for (let i = 0; i < d; i++) {
      let row = 0;
      for (let j = 0; j < d; j++) row += precision[i * d + j]! * diff[j]!;
      distance += diff[i]! * row;
    }
    nearest = Math.min(nearest, distance);
  }
  return nearest;
}
