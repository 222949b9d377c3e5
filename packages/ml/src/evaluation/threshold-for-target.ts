export type TargetMetric = "sensitivity" | "specificity";

export interface ThresholdChoice {
  /** Scores ≥ threshold are called positive. */
  threshold: number;
  sensitivity: number;
  specificity: number;
  positives: number;
  negatives: number;
  truePositives: number;
  trueNegatives: number;
}

/** Sensitivity and specificity of calling scores ≥ threshold positive. */
export function figuresAt(scores: readonly number[], positive: readonly boolean[], threshold: number): ThresholdChoice {
  let tp = 0,
    positives = 0,
    tn = 0,
    negatives = 0;
  scores.forEach((score, i) => {
    const called = score >= threshold;
    if (positive[i]) {
      positives++;
      if (called) tp++;
    } else {
      negatives++;
      if (!called) tn++;
    }
  });
  return {
    threshold,
    sensitivity: positives === 0 ? 0 : tp / positives,
    specificity: negatives === 0 ? 0 : tn / negatives,
    positives,
    negatives,
    truePositives: tp,
    trueNegatives: tn,
  };
}

export class UnreachableTargetError extends Error {
  override readonly name = "UnreachableTargetError";
}

/**
 * The threshold that meets `target` on these scores with the best figure on the other side: for a
 * sensitivity target the highest threshold still calling enough positives, for a specificity target
 * the lowest still clearing enough negatives. It sits midway between the two neighbouring distinct
 * scores, so every score keeps its call and the margin on either side is equal.
 */
export function thresholdForTarget(
  scores: readonly number[],
  positive: readonly boolean[],
  metric: TargetMetric,
  target: number,
): ThresholdChoice {
  if (!(target > 0 && target <= 1))
    throw new UnreachableTargetError(`a ${metric} target must be in (0, 1], not ${target}`);
  const side = scores.filter((_, i) => positive[i] === (metric === "sensitivity")).sort((a, b) => a - b);
  if (side.length === 0)
    throw new UnreachableTargetError(
      `no ${metric === "sensitivity" ? "positive" : "negative"} scores to meet a ${metric} target on`,
    );
  const distinct = [...new Set(scores)].sort((a, b) => a - b);
  let threshold: number;
  if (metric === "sensitivity") {
    // Keep at least ceil(target · n) positives at or above the threshold.
    const lowestKept = side[side.length - Math.ceil(target * side.length - 1e-9)]!;
    const below = distinct.filter((s) => s < lowestKept).at(-1);
    threshold = below === undefined ? lowestKept : (below + lowestKept) / 2;
  } else {
    // Keep at least ceil(target · n) negatives strictly below the threshold.
    const highestCleared = side[Math.ceil(target * side.length - 1e-9) - 1]!;
    const above = distinct.find((s) => s > highestCleared);
    threshold =
      above === undefined
        ? highestCleared + Number.EPSILON * Math.max(1, highestCleared) * 4
        : (highestCleared + above) / 2;
  }
  return figuresAt(scores, positive, threshold);
}
