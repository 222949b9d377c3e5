import type { BackendPreference } from "../backend.js";
import { SameVersionError } from "../ood/calibrate-model-ood.js";
import type { TtaMode } from "../serving/test-time-augmentation.js";
import { readModelMetadata } from "../model/model-metadata.js";
import { evaluateFolder, type FolderEvaluation } from "./evaluate-folder.js";
import { isEnsembleDir, readEnsemble } from "../model/ensemble.js";
import { scoreSpecimens } from "./clinical-figures.js";
import { SPECIMEN_SIZE } from "./lab-specimens.js";
import { writeOperatingPoint } from "./operating-point-file.js";
import { thresholdForTarget, type TargetMetric } from "./threshold-for-target.js";
import type { OperatingPoint } from "@leukoflow/contracts";

export interface OperatingPointTargets {
  metric: TargetMetric;
  target: number;
  /** Share of malignant specimens the specimen rule must call (default 1: none missed). */
  specimenSensitivity?: number;
}

export interface CalibrateOperatingPointOptions extends OperatingPointTargets {
  /** A model folder or an ensemble folder. */
  modelDir: string;
  /** The folder of class subfolders it was trained on; only its monitor blocks are scored. */
  dataDir: string;
  /** The new version the model is recorded under. */
  version: string;
  /** As the worker's INFERENCE_TTA, which the probabilities being thresholded come from (default flips). */
  tta?: TtaMode;
  backend?: BackendPreference;
  log?: (line: string) => void;
}

/**
 * The per-image threshold on P(malignant) that meets the target on these (monitor) images, and the
 * specimen rule's threshold that calls the target share of their lab specimens malignant, with the
 * figures each gave there.
 */
export function fitOperatingPoint(scored: FolderEvaluation, targets: OperatingPointTargets): OperatingPoint {
  const images = scored.probabilities.map((probabilities, i) => ({
    probabilities,
    label: scored.labels[i]!,
    fileNumber: scored.fileNumbers[i]!,
  }));
  const { imageScores, isMalignant, specimens } = scoreSpecimens(
    images,
    scored.evaluation.classes,
    scored.malignantClasses,
  );
  const image = thresholdForTarget(imageScores, isMalignant, targets.metric, targets.target);
  const specimenSensitivity = targets.specimenSensitivity ?? 1;
  const specimen = thresholdForTarget(
    specimens.map((s) => s.score),
    specimens.map((s) => s.malignant),
    "sensitivity",
    specimenSensitivity,
  );
  return {
    malignantThreshold: image.threshold,
    target: { metric: targets.metric, value: targets.target },
    tta: scored.tta,
    fittedOn: {
      split: "monitor",
      images: images.length,
      sensitivity: image.sensitivity,
      specificity: image.specificity,
      malignant: image.positives,
      benign: image.negatives,
    },
    specimen: {
      rule: "mean_malignant_probability",
      threshold: specimen.threshold,
      targetSensitivity: specimenSensitivity,
      fittedOn: {
        split: "monitor",
        specimens: specimens.length,
        imagesPerSpecimen: [...SPECIMEN_SIZE],
        sensitivity: specimen.sensitivity,
        specificity: specimen.specificity,
        malignant: specimen.positives,
        benign: specimen.negatives,
      },
    },
  };
}

/** Fits the operating point on the model's monitor blocks (fitOperatingPoint) and records it under a new version. */
export async function calibrateOperatingPoint(options: CalibrateOperatingPointOptions): Promise<OperatingPoint> {
  const current = isEnsembleDir(options.modelDir)
    ? await readEnsemble(options.modelDir)
    : await readModelMetadata(options.modelDir);
  if (current.version === options.version)
    throw new SameVersionError(
      `${current.name} is ${options.version} already: give the calibrated model a new version`,
    );
  const scored = await evaluateFolder({
    modelDirs: [options.modelDir],
    dataDir: options.dataDir,
    split: "monitor",
    tta: options.tta ?? "flips",
    backend: options.backend,
    log: options.log,
  });
  const operatingPoint = fitOperatingPoint(scored, options);
  await writeOperatingPoint(options.modelDir, options.version, operatingPoint);
  return operatingPoint;
}
