import { OperatingPoint } from "@leukoflow/contracts";
import { MALIGNANT_LABELS } from "./labels.js";

/**
 * The malignant calls, per image and per specimen. An image's P(malignant) is the sum of its
 * malignant classes' calibrated probabilities; the model version's operating point says where
 * the lab sits between missed leukemia and needless work-ups.
 */

/** Thresholds of a model without an operating point (`models calibrate --target-sensitivity` sets one). */
export const DEFAULT_MALIGNANT_THRESHOLD = 0.5;
export const DEFAULT_SPECIMEN_THRESHOLD = 0.5;

export { OperatingPoint };

/** The two thresholds a call needs; a model version without an operating point gets the defaults. */
export interface MalignantThresholds {
  image: number;
  specimen: number;
}

export function malignantThresholds(operatingPoint: unknown): MalignantThresholds {
  if (operatingPoint === null || operatingPoint === undefined)
    return { image: DEFAULT_MALIGNANT_THRESHOLD, specimen: DEFAULT_SPECIMEN_THRESHOLD };
  const parsed = OperatingPoint.parse(operatingPoint);
  return { image: parsed.malignantThreshold, specimen: parsed.specimen.threshold };
}

/** Sum of the malignant classes' probabilities; `probabilities` in `classes` order. */
export function malignantProbability(
  probabilities: ArrayLike<number>,
  classes: readonly string[],
  malignantClasses: ReadonlySet<string> = MALIGNANT_LABELS,
): number {
  let sum = 0;
  classes.forEach((name, c) => {
    if (malignantClasses.has(name)) sum += probabilities[c]!;
  });
  return Math.min(1, sum);
}

export function isMalignantCall(probability: number, threshold: number): boolean {
  return probability >= threshold;
}

/**
 * The class an image is reported as: when called malignant, its most probable malignant class
 * (the subtype shown); otherwise its most probable other class. Returns an index into `classes`.
 */
export function calledClass(
  probabilities: ArrayLike<number>,
  classes: readonly string[],
  threshold: number,
  malignantClasses: ReadonlySet<string> = MALIGNANT_LABELS,
): number {
  const malignant = isMalignantCall(malignantProbability(probabilities, classes, malignantClasses), threshold);
  let best = -1;
  classes.forEach((name, c) => {
    if (malignantClasses.has(name) === malignant && (best < 0 || probabilities[c]! > probabilities[best]!)) best = c;
  });
  return best;
}

/** The specimen's score under its rule: the mean P(malignant) of its classified images. */
export function specimenMalignantScore(imageProbabilities: readonly number[]): number {
  return imageProbabilities.reduce((sum, p) => sum + p, 0) / Math.max(1, imageProbabilities.length);
}
