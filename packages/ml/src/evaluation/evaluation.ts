import { expectedCalibrationError, reliabilityBins, type ReliabilityBin } from "./calibration.js";
import { computeMetrics } from "./metrics.js";
import { rocCurve, sensitivityAtSpecificity } from "./roc.js";
import {
  calledClass,
  DEFAULT_MALIGNANT_THRESHOLD,
  isMalignantClass,
  malignantProbability,
  type ClassMetrics,
} from "@leukoflow/contracts";

/** What `leukoflow evaluate --json` prints and training reports store. */
export interface Evaluation {
  n: number;
  accuracy: number;
  balancedAccuracy: number;
  weightedF1: number;
  perClass: Record<string, ClassMetrics>;
  /** Malignant = any of malignantClasses; sensitivity/specificity of the call P(malignant) ≥ threshold, AUC of P(malignant). */
  malignant: {
    threshold: number;
    sensitivity: number;
    specificity: number;
    auc: number;
    sensitivityAtSpecificity95: number;
  };
  ece: number;
  /** confusion[true][predicted]. */
  confusion: number[][];
  classes: string[];
}

export interface EvaluationCurves {
  roc: [number, number][];
  reliability: ReliabilityBin[];
}

/** Every metric of the report from per-image class probabilities, each image labelled as served at `malignantThreshold` (calledClass). */
export function evaluateProbabilities(
  probabilities: readonly ArrayLike<number>[],
  labels: readonly number[],
  classes: readonly string[],
  malignantClasses: readonly string[],
  malignantThreshold = DEFAULT_MALIGNANT_THRESHOLD,
): { evaluation: Evaluation; curves: EvaluationCurves } {
  const metrics = computeMetrics(
    labels,
    probabilities.map((row) => calledClass(row, classes, malignantThreshold, malignantClasses)),
    classes,
    malignantClasses,
  );
  const malignantScore = probabilities.map((row) => malignantProbability(row, classes, malignantClasses));
  const roc = rocCurve(
    malignantScore,
    labels.map((label) => isMalignantClass(classes[label]!, malignantClasses)),
  );
  const reliability = reliabilityBins(probabilities, labels);
  const weightedF1 =
    Object.values(metrics.perClass).reduce((sum, c) => sum + c.f1 * c.support, 0) / Math.max(1, labels.length);
  return {
    evaluation: {
      n: labels.length,
      accuracy: metrics.accuracy,
      balancedAccuracy: metrics.balancedAccuracy,
      weightedF1,
      perClass: metrics.perClass,
      malignant: {
        threshold: malignantThreshold,
        ...metrics.malignant,
        auc: roc.auc,
        sensitivityAtSpecificity95: sensitivityAtSpecificity(roc, 0.95),
      },
      ece: expectedCalibrationError(reliability),
      confusion: metrics.confusion,
      classes: [...classes],
    },
    curves: { roc: roc.points, reliability },
  };
}
