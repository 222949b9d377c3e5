import { expectedCalibrationError, reliabilityBins } from "./calibration.js";
import { computeMetrics } from "./metrics.js";
import { rocCurve } from "./roc.js";
import { bootstrap, wilson, type Estimate } from "./confidence-intervals.js";
import { labSpecimens, SPECIMEN_SIZE, type LabelledImage } from "./lab-specimens.js";
import { figuresAt } from "./threshold-for-target.js";
import {
  calledClass,
  isMalignantClass,
  malignantProbability,
  specimenMalignantScore,
  type MalignantThresholds,
} from "@leukoflow/contracts";

/** The decisions a lab acts on, image by image and specimen by specimen, each with its 95 % interval. */
export interface ClinicalFigures {
  thresholds: MalignantThresholds;
  image: {
    n: number;
    malignant: number;
    benign: number;
    sensitivity: Estimate;
    specificity: Estimate;
    accuracy: Estimate;
    balancedAccuracy: Estimate;
    auc: Estimate;
    ece: Estimate;
  };
  specimen: {
    rule: "mean_malignant_probability";
    specimens: number;
    malignant: number;
    benign: number;
    imagesPerSpecimen: readonly [number, number];
    sensitivity: Estimate;
    specificity: Estimate;
  };
}

export interface ScoredImage extends LabelledImage {
  probabilities: ArrayLike<number>;
}

/** P(malignant) of each image and the specimens a lab would have formed from them, with each specimen's score. */
export function scoreSpecimens(
  images: readonly ScoredImage[],
  classes: readonly string[],
  malignantClasses: readonly string[],
) {
  const imageScores = images.map((image) => malignantProbability(image.probabilities, classes, malignantClasses));
  const isMalignant = images.map((image) => isMalignantClass(classes[image.label]!, malignantClasses));
  const specimens = labSpecimens(images).map((indices) => ({
    indices,
    score: specimenMalignantScore(indices.map((i) => imageScores[i]!)),
    malignant: isMalignant[indices[0]!]!,
  }));
  return { imageScores, isMalignant, specimens };
}

/**
 * Image-level figures at the image threshold and specimen-level figures under the specimen rule.
 * Proportions get Wilson intervals; AUC, ECE and balanced accuracy a percentile bootstrap over images.
 */
export function clinicalFigures(
  images: readonly ScoredImage[],
  classes: readonly string[],
  malignantClasses: readonly string[],
  thresholds: MalignantThresholds,
): ClinicalFigures {
  const { imageScores, isMalignant, specimens } = scoreSpecimens(images, classes, malignantClasses);
  const labels = images.map((image) => image.label);
  const called = images.map((image) => calledClass(image.probabilities, classes, thresholds.image, malignantClasses));
  const at = figuresAt(imageScores, isMalignant, thresholds.image);
  const pick = <T>(values: readonly T[], indices: readonly number[]): T[] => indices.map((i) => values[i]!);
  const balanced = (indices: readonly number[]): number =>
    computeMetrics(pick(labels, indices), pick(called, indices), classes, malignantClasses).balancedAccuracy;
  const auc = (indices: readonly number[]): number =>
    rocCurve(pick(imageScores, indices), pick(isMalignant, indices)).auc;
  const ece = (indices: readonly number[]): number =>
    expectedCalibrationError(
      reliabilityBins(
        pick(images, indices).map((image) => image.probabilities),
        pick(labels, indices),
      ),
    );
  const specimenAt = figuresAt(
    specimens.map((s) => s.score),
    specimens.map((s) => s.malignant),
    thresholds.specimen,
  );
  return {
    thresholds,
    image: {
      n: images.length,
      malignant: at.positives,
      benign: at.negatives,
      sensitivity: wilson(at.truePositives, at.positives),
      specificity: wilson(at.trueNegatives, at.negatives),
      accuracy: wilson(labels.filter((label, i) => label === called[i]).length, labels.length),
      balancedAccuracy: bootstrap(images.length, balanced),
      auc: bootstrap(images.length, auc),
      ece: bootstrap(images.length, ece),
    },
    specimen: {
      rule: "mean_malignant_probability",
      specimens: specimens.length,
      malignant: specimenAt.positives,
      benign: specimenAt.negatives,
      imagesPerSpecimen: SPECIMEN_SIZE,
      sensitivity: wilson(specimenAt.truePositives, specimenAt.positives),
      specificity: wilson(specimenAt.trueNegatives, specimenAt.negatives),
    },
  };
}
