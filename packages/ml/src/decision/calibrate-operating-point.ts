import type { OperatingPoint } from "@leukoflow/shared";
import type { BackendPreference } from "../backend.js";
import { SameVersionError } from "../inference/ood/calibrate-model-ood.js";
import type { TtaMode } from "../inference/test-time-augmentation.js";
import { readModelMetadata } from "../model-metadata.js";
import { evaluateFolder } from "../training/evaluate-folder.js";
import { isEnsembleDir, readEnsemble } from "../model/ensemble.js";
import { scoreSpecimens } from "./clinical-figures.js";
import { SPECIMEN_SIZE } from "./lab-specimens.js";
import { writeOperatingPoint } from "./operating-point-file.js";
import { thresholdForTarget, type TargetMetric } from "./threshold-for-target.js";

export interface CalibrateOperatingPointOptions {
  /** A model folder or an ensemble folder. */
  modelDir: string;
  /** The folder of class subfolders it was trained on; only its monitor blocks are scored. */
  dataDir: string;
  /** The new version the model is recorded under. */
  version: string;
  metric: TargetMetric;
  target: number;
  /** Share of malignant specimens the specimen rule must call (default 1: none missed). */
  specimenSensitivity?: number;
  /** As the worker's INFERENCE_TTA, which the probabilities being thresholded come from (default flips). */
  tta?: TtaMode;
  backend?: BackendPreference;
  log?: (line: string) => void;
}

/**
 * Chooses the per-image threshold on P(malignant) that meets the target on the model's monitor
 * blocks, and the specimen rule's threshold that calls the target share of the monitor blocks'
 * lab specimens malignant, then records both with the figures they gave there.
 */
export async function calibrateOperatingPoint(options: CalibrateOperatingPointOptions): Promise<OperatingPoint> {
  const current = isEnsembleDir(options.modelDir) ? await readEnsemble(options.modelDir) : await readModelMetadata(options.modelDir);
  if (current.version === options.version) throw new SameVersionError(`${current.name} is ${options.version} already: give the calibrated model a new version`);
  const tta = options.tta ?? "flips";
  const scored = await evaluateFolder({ modelDirs: [options.modelDir], dataDir: options.dataDir, split: "monitor", tta, backend: options.backend, log: options.log });
  const { classes } = scored.evaluation;
  const malignantClasses = scored.malignantClasses;
  const images = scored.probabilities.map((probabilities, i) => ({ probabilities, label: scored.labels[i]!, fileNumber: scored.fileNumbers[i]! }));
  const { imageScores, isMalignant, specimens } = scoreSpecimens(images, classes, malignantClasses);
  const image = thresholdForTarget(imageScores, isMalignant, options.metric, options.target);
  const specimenSensitivity = options.specimenSensitivity ?? 1;
  const specimen = thresholdForTarget(specimens.map((s) => s.score), specimens.map((s) => s.malignant), "sensitivity", specimenSensitivity);
  const operatingPoint: OperatingPoint = {
    malignantThreshold: image.threshold,
    target: { metric: options.metric, value: options.target },
    tta,
    fittedOn: { split: "monitor", images: images.length, sensitivity: image.sensitivity, specificity: image.specificity, malignant: image.positives, benign: image.negatives },
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
  await writeOperatingPoint(options.modelDir, options.version, operatingPoint);
  return operatingPoint;
}
