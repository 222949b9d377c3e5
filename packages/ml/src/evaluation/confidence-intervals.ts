import { seededRandom } from "@leukoflow/imaging";

/** A point figure with its 95 % interval. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
  /** How the interval was made. */
  method: "wilson" | "bootstrap";
}

const Z95 = 1.959963984540054;

/** Wilson score interval of `successes` out of `n` (95 %); for n = 0 the whole of [0, 1]. */
export function wilson(successes: number, n: number): Estimate {
  if (n === 0) return { value: 0, low: 0, high: 1, method: "wilson" };
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), method: "wilson" };
}

export const BOOTSTRAP_RESAMPLES = 1000;

/**
 * Percentile bootstrap (95 %) of a statistic over `n` items: the statistic is given the indices of
 * each resample (drawn with replacement, from a fixed seed so the interval repeats). Resamples on
 * which the statistic is undefined (NaN, e.g. an AUC without negatives) are left out.
 */
export function bootstrap(
  n: number,
  statistic: (indices: readonly number[]) => number,
  resamples = BOOTSTRAP_RESAMPLES,
  seed = 1,
): Estimate {
  const value = statistic(Array.from({ length: n }, (_, i) => i));
  const random = seededRandom(seed);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const v = statistic(Array.from({ length: n }, () => Math.floor(random() * n)));
    if (!Number.isNaN(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const at = (q: number): number =>
    values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))] ?? NaN;
  return { value, low: at(0.025), high: at(0.975), method: "bootstrap" };
}
