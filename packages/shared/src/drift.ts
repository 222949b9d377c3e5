import { z } from "zod";
import { malignantProbability } from "@leukoflow/contracts";

/**
 * What a model's outputs look like on its own monitor blocks, stored with its ModelVersion
 * (`leukoflow models baseline`); live predictions are compared against it per lab (population
 * stability index over a rolling window) to tell when a lab's images drift from what the model knows.
 */

/** Inner edges of the P(malignant) bins: the calls cluster near 0 and 1, the middle is where they waver. */
export const MALIGNANT_PROBABILITY_EDGES = [0.05, 0.35, 0.65, 0.95] as const;
/** OOD scores are binned at the monitor blocks' quintiles, so each bin holds a fifth of the baseline. */
const OOD_SCORE_BINS = 5;
/** Share floor in the PSI, so an empty bin counts as rare rather than impossible. */
const PSI_FLOOR = 1e-4;

export const DriftBaseline = z.object({
  split: z.literal("monitor"),
  images: z.number().int().positive(),
  /** The test-time augmentation the baseline was scored with (the worker's INFERENCE_TTA). */
  tta: z.string(),
  /** Share of monitor images flagged out of distribution (OOD score > 0). */
  oodRate: z.number().min(0).max(1),
  meanConfidence: z.number().min(0).max(1),
  /** Share of monitor images per predicted class. */
  classMix: z.record(z.string(), z.number()),
  /** Share of monitor images per P(malignant) bin (MALIGNANT_PROBABILITY_EDGES). */
  malignantProbability: z.array(z.number()),
  /** Inner edges of the OOD-score bins and the share in each; null for a model without an OOD detector. */
  oodScore: z.object({ edges: z.array(z.number()), shares: z.array(z.number()) }).nullable(),
});
export type DriftBaseline = z.infer<typeof DriftBaseline>;

/** The bin a value falls in: the number of edges at or below it (as PostgreSQL's width_bucket). */
export function binIndex(value: number, edges: readonly number[]): number {
  return edges.filter((edge) => edge <= value).length;
}

function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, n) => sum + n, 0);
  return counts.map((n) => (total === 0 ? 0 : n / total));
}

function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const value of values) counts[binIndex(value, edges)]! += 1;
  return counts;
}

/** Population stability index of observed counts against expected shares: Σ (a − e) ln(a / e). */
export function populationStabilityIndex(observed: readonly number[], expected: readonly number[]): number {
  const actual = shares(observed);
  return expected.reduce((psi, e, i) => {
    const a = Math.max(actual[i] ?? 0, PSI_FLOOR);
    const b = Math.max(e, PSI_FLOOR);
    return psi + (a - b) * Math.log(a / b);
  }, 0);
}

function quantileEdges(values: readonly number[], bins: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return Array.from(
    { length: bins - 1 },
    (_, i) => sorted[Math.min(sorted.length - 1, Math.floor(((i + 1) * sorted.length) / bins))]!,
  );
}

export interface ScoredImage {
  /** Calibrated probabilities in `classes` order. */
  probabilities: ArrayLike<number>;
  oodScore: number | null;
}

/** The baseline of a model's scores on its monitor blocks. */
export function driftBaseline(
  scores: readonly ScoredImage[],
  classes: readonly string[],
  malignantClasses: readonly string[],
  tta: string,
): DriftBaseline {
  const n = scores.length;
  if (n === 0) throw new Error("a drift baseline needs scored monitor images");
  const predicted = scores.map((s) =>
    Array.from(s.probabilities).reduce((best, p, c, all) => (p > all[best]! ? c : best), 0),
  );
  const oodScores = scores.flatMap((s) => (s.oodScore === null ? [] : [s.oodScore]));
  const oodEdges = oodScores.length === n ? quantileEdges(oodScores, OOD_SCORE_BINS) : null;
  return {
    split: "monitor",
    images: n,
    tta,
    oodRate: oodScores.filter((score) => score > 0).length / n,
    meanConfidence: scores.reduce((sum, s, i) => sum + s.probabilities[predicted[i]!]!, 0) / n,
    classMix: Object.fromEntries(classes.map((name, c) => [name, predicted.filter((p) => p === c).length / n])),
    malignantProbability: shares(
      binCounts(
        scores.map((s) => malignantProbability(s.probabilities, classes, malignantClasses)),
        MALIGNANT_PROBABILITY_EDGES,
      ),
    ),
    oodScore: oodEdges && { edges: oodEdges, shares: shares(binCounts(oodScores, oodEdges)) },
  };
}
