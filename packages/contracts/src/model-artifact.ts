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
