import type { ModelMetadata } from "../model-metadata.js";

/** The `ood` field of leukoflow-model.json: images whose energy score exceeds `threshold` are flagged. */
export interface OodCalibration {
  score: "energy";
  threshold: number;
  /** Share of the calibration images at or below the threshold, e.g. 0.95. */
  quantile: number;
  /** What the threshold was fitted on, e.g. the held-out blocks of validation.heldOutRanges. */
  calibratedOn: string;
  images: number;
}

export function readOodCalibration(meta: ModelMetadata): OodCalibration | null {
  const ood = meta.ood as Partial<OodCalibration> | undefined;
  return ood?.score === "energy" && typeof ood.threshold === "number" ? (ood as OodCalibration) : null;
}

/** The `quantile` empirical quantile of in-distribution energies (linear interpolation). */
export function energyThreshold(inDistributionEnergies: readonly number[], quantile: number): number {
  if (inDistributionEnergies.length === 0) throw new Error("no energies to calibrate on");
  const sorted = [...inDistributionEnergies].sort((a, b) => a - b);
  const position = quantile * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
