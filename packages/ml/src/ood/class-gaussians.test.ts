import { describe, expect, it } from "vitest";
import { fitClassGaussians, nearestClassDistance } from "./class-gaussians.js";
import { standardisedDistance } from "./ood-score.js";
import { empiricalQuantile } from "./quantile.js";
import { invertSymmetricPositiveDefinite } from "./symmetric-inverse.js";

// Class 0 around (0, 0), class 1 around (5, 5), the same four deviations (±(1, 1), ±(1, 0)) in each:
// pooled covariance (1/8)·[[8, 4], [4, 4]] = [[1, 0.5], [0.5, 0.5]].
const ROWS = [
  [1, 1],
  [-1, -1],
  [1, 0],
  [-1, 0],
  [6, 6],
  [4, 4],
  [6, 5],
  [4, 5],
];
const LABELS = [0, 0, 0, 0, 1, 1, 1, 1];

describe("Mahalanobis OOD statistics against a hand-computed case", () => {
  it("fits the class means and the inverse of the pooled covariance", () => {
    const g = fitClassGaussians(ROWS, LABELS, 2, 0);
    expect(g.means.map((mean) => [...mean])).toEqual([
      [0, 0],
      [5, 5],
    ]);
    // [[1, 0.5], [0.5, 0.5]]⁻¹ = (1 / 0.25)·[[0.5, −0.5], [−0.5, 1]]
    [2, -2, -2, 4].forEach((value, i) => expect(g.precision[i]).toBeCloseTo(value, 12));
    // (1, −1) from class 0's mean: 4·(0.5 + 2·0.5 + 1) = 10; from class 1's it is farther.
    expect(nearestClassDistance(g, [1, -1])).toBeCloseTo(10, 12);
    expect(nearestClassDistance(g, [5, 5])).toBeCloseTo(0, 12);
  });

  it("shrinks the correlations towards the diagonal", () => {
    // Σ' = [[1, 0.4], [0.4, 0.5]], det 0.34: (1, −1)ᵀΣ'⁻¹(1, −1) = (0.5 + 0.8 + 1) / 0.34.
    const g = fitClassGaussians(ROWS, LABELS, 2, 0.2);
    expect(nearestClassDistance(g, [1, -1])).toBeCloseTo(2.3 / 0.34, 12);
    // Full shrinkage ignores the correlation: 1²/1 + 1²/0.5.
    expect(nearestClassDistance(fitClassGaussians(ROWS, LABELS, 2, 1), [1, -1])).toBeCloseTo(3, 12);
  });

  it("floors a feature that never varied, so the covariance stays invertible and it still counts", () => {
    const g = fitClassGaussians(
      ROWS.map(([x, y]) => [x!, y!, 7]),
      LABELS,
      2,
      0.1,
    );
    expect(nearestClassDistance(g, [0, 0, 7])).toBeCloseTo(0, 9);
    expect(nearestClassDistance(g, [0, 0, 8])).toBeGreaterThan(100);
  });

  it("inverts a symmetric positive-definite matrix by Cholesky", () => {
    const a = Float64Array.from([4, 2, 0.6, 2, 5, 1.5, 0.6, 1.5, 3]);
    const inverse = invertSymmetricPositiveDefinite(a, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const product = [0, 1, 2].reduce((sum, k) => sum + a[i * 3 + k]! * inverse[k * 3 + j]!, 0);
        expect(product).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
    expect(() => invertSymmetricPositiveDefinite(Float64Array.from([1, 2, 2, 1]), 2)).toThrow("not positive definite");
  });

  it("takes the largest standardised distance over layers, and the threshold as an interpolated quantile", () => {
    const g = fitClassGaussians(ROWS, LABELS, 2, 0);
    const layers = [
      { name: "early", dimensions: 2, distanceMean: 2, distanceStd: 4 },
      { name: "late", dimensions: 2, distanceMean: 1, distanceStd: 0.5 },
    ];
    // Distances 10 and 0: (10 − 2)/4 = 2 against (0 − 1)/0.5 = −2.
    expect(
      standardisedDistance([g, g], layers, [
        [1, -1],
        [0, 0],
      ]),
    ).toBeCloseTo(2, 12);
    expect(empiricalQuantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(empiricalQuantile([5, 1, 4, 2, 3], 0.9)).toBeCloseTo(4.6, 12);
  });
});
