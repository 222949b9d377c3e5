import { OperatingPoint } from "./model-artifact.js";

/**
 * The malignancy rule, per image and per specimen. A model version declares its malignant classes
 * (leukoflow-model.json's `malignantClasses`, ModelVersion.malignantClasses); an image's
 * P(malignant) is the sum of their calibrated probabilities, and the version's operating point says
 * where the lab sits between missed leukemia and needless work-ups.
 */

/** The three ALL subtypes: the malignant classes of the shipped subtype models (their benign cells are hematogones). */
export const ALL_SUBTYPES = ["early_pre_b", "pre_b", "pro_b"] as const;

/** Output classes of the 4-class subtype task, in the order the shipped models emit them. */
export const SUBTYPE_LABELS = ["benign", ...ALL_SUBTYPES] as const;

/** Thresholds of a model without an operating point (`models calibrate --target-sensitivity` sets one). */
export const DEFAULT_MALIGNANT_THRESHOLD = 0.5;
export const DEFAULT_SPECIMEN_THRESHOLD = 0.5;

/** The two thresholds a call needs; a model version without an operating point gets the defaults. */
export interface MalignantThresholds {
  image: number;
  specimen: number;
}

/** What a model version calls malignant: its malignant classes, at its operating point's thresholds. */
export interface MalignancyRule {
  malignantClasses: readonly string[];
  thresholds: MalignantThresholds;
}

export function malignantThresholds(operatingPoint: unknown): MalignantThresholds {
  if (operatingPoint === null || operatingPoint === undefined)
    return { image: DEFAULT_MALIGNANT_THRESHOLD, specimen: DEFAULT_SPECIMEN_THRESHOLD };
  const parsed = OperatingPoint.parse(operatingPoint);
  return { image: parsed.malignantThreshold, specimen: parsed.specimen.threshold };
}

/** Whether two model versions call the same classes malignant, in any order: an ensemble's members must. */
export function sameMalignantClasses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name)) && b.every((name) => a.includes(name));
}

export function isMalignantClass(label: string, malignantClasses: readonly string[]): boolean {
  return malignantClasses.includes(label);
}

/**
 * Share of the labels that are malignant classes, 0 with none: the model's labels of a specimen's
 * classified images, or each one's reviewed label where a technologist gave one.
 */
export function malignantFraction(labels: readonly string[], malignantClasses: readonly string[]): number {
  return labels.length === 0 ? 0 : labels.filter((label) => malignantClasses.includes(label)).length / labels.length;
}

/** Sum of the malignant classes' probabilities; `probabilities` in `classes` order. */
export function malignantProbability(
  probabilities: ArrayLike<number>,
  classes: readonly string[],
  malignantClasses: readonly string[],
): number {
  let sum = 0;
  classes.forEach((name, c) => {
    if (malignantClasses.includes(name)) sum += probabilities[c]!;
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
  malignantClasses: readonly string[],
): number {
  const malignant = isMalignantCall(malignantProbability(probabilities, classes, malignantClasses), threshold);
  let best = -1;
  classes.forEach((name, c) => {
    if (malignantClasses.includes(name) === malignant && (best < 0 || probabilities[c]! > probabilities[best]!))
      best = c;
  });
  return best;
}

/** The specimen's score under its rule: the mean P(malignant) of its classified images. */
export function specimenMalignantScore(imageProbabilities: readonly number[]): number {
  return imageProbabilities.reduce((sum, p) => sum + p, 0) / Math.max(1, imageProbabilities.length);
}
