export interface RocCurve {
  /** [false-positive rate, true-positive rate] from (0,0) to (1,1), one point per distinct score. */
  points: [number, number][];
  auc: number;
}

/** ROC of `scores` (higher = more likely positive) against `positive` ground truth; ties share one point. */
export function rocCurve(scores: readonly number[], positive: readonly boolean[]): RocCurve {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = positive.filter(Boolean).length;
  const negatives = positive.length - positives;
  const points: [number, number][] = [[0, 0]];
  let tp = 0,
    fp = 0,
    auc = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (positive[i]) tp++;
    else fp++;
    if (k + 1 < order.length && scores[order[k + 1]!] === scores[i]) continue;
    const [lastFpr, lastTpr] = points.at(-1)!;
    const fpr = negatives === 0 ? 0 : fp / negatives;
    const tpr = positives === 0 ? 0 : tp / positives;
    auc += ((fpr - lastFpr) * (tpr + lastTpr)) / 2;
    points.push([fpr, tpr]);
  }
  return { points, auc: positives === 0 || negatives === 0 ? NaN : auc };
}

/** The highest sensitivity any threshold reaches while keeping specificity ≥ `minSpecificity`. */
export function sensitivityAtSpecificity(curve: RocCurve, minSpecificity: number): number {
  return Math.max(0, ...curve.points.filter(([fpr]) => 1 - fpr >= minSpecificity - 1e-12).map(([, tpr]) => tpr));
}
