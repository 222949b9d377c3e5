export { selectBackend, type BackendLog, type BackendPreference } from "./backend.js";
export { loadClassifier, type Classifier, type LoadClassifierOptions } from "./classifier.js";
export { defaultModelDir } from "./model/default-model.js";
export { decodeToModelInput, sameModelInput, type ModelInputSpec } from "./data/decode-to-model-input.js";
export { MODEL_FILE } from "./model/model-files.js";
export {
  channelAffine,
  InvalidModelMetadataError,
  modelInputSpec,
  parseModelMetadata,
  readModelMetadata,
  writeModelMetadata,
} from "./model/model-metadata.js";
export { listImageFolder, type ImageEntry } from "./data/list-image-folder.js";
export { splitClassifierHead, UnsupportedArchitectureError, type ClassifierHead } from "./serving/classifier-head.js";
export { softmaxWithTemperature } from "./serving/calibrated-outputs.js";
export {
  stackTtaVariants,
  meanOverVariants,
  ttaVariantCount,
  TTA_MODES,
  type TtaMode,
} from "./serving/test-time-augmentation.js";
export { gradCamMaps } from "./serving/grad-cam.js";
export { renderGradCamOverlay } from "./serving/grad-cam-overlay.js";
export {
  calibrateModelOod,
  DEFAULT_OOD_QUANTILE,
  DEFAULT_OOD_SHRINKAGE,
  SameVersionError,
  type CalibrateOodOptions,
} from "./ood/calibrate-model-ood.js";
export { oodFlags } from "./ood/ood-flags.js";
export { listImagesRecursively } from "./data/list-images-recursively.js";
export {
  SYNTHETIC_KINDS,
  syntheticNonSmearImages,
  type SyntheticImage,
  type SyntheticKind,
} from "./data/synthetic-non-smear-images.js";
export { heldOutImagePaths } from "./data/held-out-images.js";
export {
  loadServingClassifier,
  ClassifierDisposedError,
  INFERENCE_ENGINES,
  type InferenceEngine,
  type ImageScore,
  type ServingClassifier,
} from "./serving/serving-classifier.js";
export { Ensemble, EnsembleMismatchError, type EnsembleScore, type WeightedMember } from "./serving/ensemble.js";
export { loadEnsemble } from "./serving/load-ensemble.js";
export { loadServingModel, selectServingEngine, type ServingEngineOptions } from "./serving/load-serving-model.js";
export * from "./onnx/index.js";
export { ARCHITECTURES, buildArchitecture, type ArchitectureOptions } from "./architectures/registry.js";
export { DEFAULT_AUGMENT, ROBUST_AUGMENT, augmentImage, type AugmentOptions } from "./data/augment.js";
export type { BlockSplitOptions } from "./data/block-split.js";
export { isEnsembleDir, readEnsemble, resolveMembers } from "./model/ensemble.js";
export { evaluateFolder, type EvaluateFolderOptions, type FolderEvaluation } from "./evaluation/evaluate-folder.js";
export { evaluateProbabilities, type Evaluation, type EvaluationCurves } from "./evaluation/evaluation.js";
export { REPORT_FILES, writeEvaluationCharts } from "./evaluation/report-files.js";
export type { SplitSelection } from "./data/select-split.js";
export { softVote } from "./evaluation/soft-voting.js";
export { applyTemperature, fitTemperature } from "./training/temperature-scaling.js";
export { stderrProgress, type ProgressSink } from "./training/progress.js";
export {
  DEFAULT_MONITOR_SPLIT,
  DEFAULT_TEST_SPLIT,
  trainFromFolders,
  type TrainFromFoldersOptions,
  type TrainFromFoldersResult,
} from "./training/train-from-folders.js";
export { InitialWeightsMismatchError } from "./training/initial-weights.js";
export { CLASS_BALANCES, DEFAULT_CLASS_BALANCE, type ClassBalance } from "./training/class-balance.js";
export {
  trainClassifier,
  TrainingInterruptedError,
  type EpochRecord,
  type LabelledImages,
  type TrainClassifierOptions,
  type TrainClassifierResult,
} from "./training/train.js";
export { importKerasModel, type ImportKerasOptions } from "./keras/import-keras-model.js";
export { calibrateModelTemperature, type TemperatureCalibration } from "./training/calibrate-model.js";
export { writeEnsemble, type WriteEnsembleOptions } from "./training/write-ensemble.js";
export { SHIFT_SUITE, shiftNamed, type ImageShift } from "./data/shift-suite.js";
export {
  calibrateOperatingPoint,
  fitOperatingPoint,
  type CalibrateOperatingPointOptions,
  type OperatingPointTargets,
} from "./evaluation/calibrate-operating-point.js";
export { scoreDriftBaseline } from "./evaluation/score-drift-baseline.js";
export { clinicalFigures, type ClinicalFigures, type ScoredImage } from "./evaluation/clinical-figures.js";
export { bootstrap, wilson, type Estimate } from "./evaluation/confidence-intervals.js";
export { labSpecimens, SPECIMEN_SIZE } from "./evaluation/lab-specimens.js";
export { readOperatingPoint, servedThresholds } from "./evaluation/operating-point-file.js";
export {
  thresholdForTarget,
  UnreachableTargetError,
  type TargetMetric,
  type ThresholdChoice,
} from "./evaluation/threshold-for-target.js";
