/** The empirical `quantile` of `values` (linear interpolation between order statistics). */
export function empiricalQuantile(values: readonly number[], quantile: number): number {
  if (values.length === 0) throw new Error("no values to take a quantile of");
  if (!(quantile >= 0 && quantile <= 1)) throw new Error("quantile must lie in [0, 1]");
  const sorted = [...values].sort((a, b) => a - b);
  const position = quantile * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
