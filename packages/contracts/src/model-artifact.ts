import { z } from "zod";

/**
 * What a model artifact declares, as the registry and ml both read it. An ensemble is a model
 * folder holding ENSEMBLE_FILE: soft voting of registered member versions with the given weights.
 */
export const ENSEMBLE_FILE = "ensemble.json";

const Figures = z.object({
  sensitivity: z.number(),
  specificity: z.number(),
  malignant: z.number().int(),
  benign: z.number().int(),
});

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
    fittedOn: Figures.extend({
      split: z.string(),
      specimens: z.number().int(),
      imagesPerSpecimen: z.tuple([z.number().int(), z.number().int()]),
    }),
  }),
});
export type OperatingPoint = z.infer<typeof OperatingPoint>;

/** A model folder's metadata file, written by training or an import and read by everything that loads the model. */
export const METADATA_FILE = "leukoflow-model.json";
/** The ONNX graph beside the tfjs files. */
export const ONNX_FILE = "model.onnx";
/** Beside model.json: each OOD layer's class means, then its precision matrix, as little-endian float32, in `ood.layers` order. */
export const OOD_STATISTICS_FILE = "ood-statistics.bin";

/**
 * The colour normalization a model is trained with, which everything feeding it applies alike:
 * none (the camera's colours) or reinhard (each smear's Lab statistics mapped onto the ALL dataset's).
 */
export const STAIN_NORMALIZATIONS = ["none", "reinhard"] as const;
export const StainNormalization = z.enum(STAIN_NORMALIZATIONS);
export type StainNormalization = z.infer<typeof StainNormalization>;

/**
 * Model input, per channel c, HWC: RGB byte · scale + offset, or (byte · scale − mean[c]) / std[c]
 * as PyTorch-style models imported from ONNX take it.
 */
const Rgb = z.tuple([z.number(), z.number(), z.number()]);
export const InputNormalization = z.union([
  z.object({ scale: z.number(), offset: z.number(), description: z.string() }),
  z.object({ scale: z.number(), mean: Rgb, std: Rgb, description: z.string() }),
]);
export type InputNormalization = z.infer<typeof InputNormalization>;

/**
 * The `onnx` block: the ONNX graph beside the tfjs files and the names of the outputs serving reads.
 * `logits` is the final Dense before its softmax; `probabilities` only for imported models that give
 * a softmax and no logits. `layerOutputs` maps the layer names of ood.layers to their outputs
 * (spatial ones in `layout`).
 */
export const OnnxModelSpec = z
  .object({
    file: z.literal(ONNX_FILE),
    input: z.string().min(1),
    layout: z.enum(["NHWC", "NCHW"]),
    logits: z.string().min(1).optional(),
    probabilities: z.string().min(1).optional(),
    lastConv: z.string().min(1).nullable(),
    features: z.string().min(1).nullable(),
    layerOutputs: z.record(z.string(), z.string()),
  })
  .refine(
    (spec) => (spec.logits === undefined) !== (spec.probabilities === undefined),
    "exactly one of logits and probabilities must be named",
  );
export type OnnxModelSpec = z.infer<typeof OnnxModelSpec>;

export const OodLayerCalibration = z.object({
  /** A layer of model.json; spatial layers are pooled to channel means and standard deviations. */
  name: z.string().min(1),
  dimensions: z.number().int().positive(),
  /** Mean and standard deviation of this layer's nearest-class distance over the monitor images, to standardise it. */
  distanceMean: z.number(),
  distanceStd: z.number(),
});
export type OodLayerCalibration = z.infer<typeof OodLayerCalibration>;

/** The `ood` block: a Mahalanobis detector whose statistics are in OOD_STATISTICS_FILE (docs/ood.md). */
export const OodCalibration = z.object({
  method: z.literal("mahalanobis"),
  description: z.string(),
  layers: z.array(OodLayerCalibration).min(1),
  /** Σ' = (1 − shrinkage)·Σ + shrinkage·diag(Σ). */
  shrinkage: z.number().min(0).max(1),
  statisticsFile: z.literal(OOD_STATISTICS_FILE),
  /** Standardised distance above which an image is flagged; oodScore = distance − threshold. */
  threshold: z.number(),
  /** Share of the monitor images at or below the threshold. */
  quantile: z.number().min(0).max(1),
  /** Where the class means and covariance come from, and where the standardisation and threshold come from. */
  fittedOn: z.string(),
  calibratedOn: z.string(),
  images: z.object({ fitted: z.number().int(), calibrated: z.number().int() }),
});
export type OodCalibration = z.infer<typeof OodCalibration>;

/** One class's held-out file numbers: with them anyone can re-select the images a model was measured on. */
export const HeldOutRange = z.object({
  className: z.string(),
  firstFileNumber: z.number().int(),
  lastFileNumber: z.number().int(),
  count: z.number().int(),
});
export type HeldOutRange = z.infer<typeof HeldOutRange>;

export const ClassMetrics = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int(),
});
export type ClassMetrics = z.infer<typeof ClassMetrics>;

export const ClassificationMetrics = z.object({
  images: z.number().int(),
  accuracy: z.number(),
  balancedAccuracy: z.number(),
  perClass: z.record(z.string(), ClassMetrics),
  /** Malignant = any class in `malignantClasses`; a screen's positive. */
  malignant: z.object({ sensitivity: z.number(), specificity: z.number() }),
  /** confusion[true][predicted], rows and columns in `classes` order. */
  confusion: z.array(z.array(z.number().int())),
});
export type ClassificationMetrics = z.infer<typeof ClassificationMetrics>;

/**
 * leukoflow-model.json (METADATA_FILE). Training adds its report (history, monitor figures, split
 * options…), kept as written. `malignantClasses` is the model's malignancy rule: its P(malignant) is
 * their probabilities' sum.
 */
export const ModelMetadata = z
  .looseObject({
    name: z.string().min(1),
    version: z.string().min(1),
    architecture: z.string().min(1),
    task: z.string().min(1),
    classes: z.array(z.string().min(1)).min(2),
    malignantClasses: z.array(z.string().min(1)),
    inputSize: z.number().int().positive(),
    /** Absent in models trained before it existed: none, the camera's colours. */
    stainNormalization: StainNormalization.optional(),
    normalization: InputNormalization,
    /** The softmax temperature fitted on the monitor blocks; absent: 1. */
    temperature: z.number().positive().optional(),
    /** Absent in models published before ONNX serving (they are served by tfjs). */
    onnx: OnnxModelSpec.optional(),
    ood: OodCalibration.optional(),
    /** Set by `models calibrate --target-sensitivity`; absent: the default thresholds. */
    operatingPoint: OperatingPoint.optional(),
    /** `train --init-from`: the model ("name version") whose weights it was fine-tuned from; such a version goes through a shadow before it is activated. */
    initialisedFrom: z.string().min(1).optional(),
    /** The images the metrics were measured on; heldOutRanges lets anyone re-select them. */
    validation: z.object({
      dataset: z.string(),
      split: z.string(),
      images: z.number().int(),
      heldOutRanges: z.array(HeldOutRange),
    }),
    /** Absent in an imported model until `leukoflow evaluate` measures it. */
    metrics: ClassificationMetrics.optional(),
    trainingSeconds: z.number().optional(),
    peakRssMb: z.number().optional(),
  })
  .refine((meta) => meta.malignantClasses.every((name) => meta.classes.includes(name)), {
    message: "every malignant class must be one of classes",
    path: ["malignantClasses"],
  });
export type ModelMetadata = z.infer<typeof ModelMetadata>;

/** ensemble.json; training adds its report (combination, validation, evaluation), kept as written. */
export const EnsembleDefinition = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  task: z.string().min(1),
  members: z
    .array(z.object({ name: z.string().min(1), version: z.string().min(1), weight: z.number().positive() }))
    .min(1),
  /** The ensemble's own operating point (`models calibrate <ensemble dir> --target-sensitivity`); absent: the default thresholds. */
  operatingPoint: OperatingPoint.optional(),
});
export type EnsembleDefinition = z.infer<typeof EnsembleDefinition>;
