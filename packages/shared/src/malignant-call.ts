import { z } from "zod";
import { MALIGNANT_LABELS } from "./labels.js";

/**
 * The malignant calls, per image and per specimen. An image's P(malignant) is the sum of its
 * malignant classes' calibrated probabilities; the model version's operating point says where
 * the lab sits between missed leukemia and needless work-ups.
 */

/** Thresholds of a model without an operating point (`models calibrate --target-sensitivity` sets one). */
export const DEFAULT_MALIGNANT_THRESHOLD = 0.5;
export const DEFAULT_SPECIMEN_THRESHOLD = 0.5;

const Figures = z.object({ sensitivity: z.number(), specificity: z.number(), malignant: z.number().int(), benign: z.number().int() });

/** Recorded in leukoflow-model.json (or ensemble.json) and ModelVersion.operatingPoint, with the monitor figures it came from. */
export const OperatingPoint = z.object({
  /** An image is called malignant when P(malignant) ≥ this. */
  malignantThreshold: z.number().min(0).max(1),
  target: z.object({ metric: z.enum(["sensitivity", "specificity"]), value: z.number().min(0).max(1) }),
  /** The test-time augmentation the probabilities were scored with (the worker's INFERENCE_TTA). */
  tta: z.string(),
  fittedOn: Figures.extend({ split: z.string(), images: z.number().int() }),
  /** A specimen is called ALL-suspected when the mean P(malignant) of its classified images ≥ threshold. */
  specimen: z.object({
    rule: z.literal("mean_malignant_probability"),
    threshold: z.number().min(0).max(1),
    targetSensitivity: z.number().min(0).max(1),
    fittedOn: Figures.extend({ split: z.string(), specimens: z.number().int(), imagesPerSpecimen: z.tuple([z.number().int(), z.number().int()]) }),
  }),
});
export type OperatingPoint = z.infer<typeof OperatingPoint>;

/** The two thresholds a call needs; a model version without an operating point gets the defaults. */
export interface MalignantThresholds {
  image: number;
  specimen: number;
}

export function malignantThresholds(operatingPoint: unknown): MalignantThresholds {
  if (operatingPoint === null || operatingPoint === undefined) return { image: DEFAULT_MALIGNANT_THRESHOLD, specimen: DEFAULT_SPECIMEN_THRESHOLD };
  const parsed = OperatingPoint.parse(operatingPoint);
  return { image: parsed.malignantThreshold, specimen: parsed.specimen.threshold };
}

/** Sum of the malignant classes' probabilities; `probabilities` in `classes` order. */
export function malignantProbability(probabilities: ArrayLike<number>, classes: readonly string[], malignantClasses: ReadonlySet<string> = MALIGNANT_LABELS): number {
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
export function calledClass(probabilities: ArrayLike<number>, classes: readonly string[], threshold: number, malignantClasses: ReadonlySet<string> = MALIGNANT_LABELS): number {
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
