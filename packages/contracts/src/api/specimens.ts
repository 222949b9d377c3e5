import { ImageStatus, SpecimenStatus } from "./statuses.js";
import { z } from "zod";
import { Timestamp } from "./primitives.js";
import { Review } from "./reviews.js";
import { StoredSpecimenSummary } from "../specimen-summary.js";

export const Specimen = z.object({
  id: z.uuid(),
  accession: z.string(),
  patientRef: z.string().nullable(),
  status: z.enum(SpecimenStatus),
  summary: StoredSpecimenSummary.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  completedAt: Timestamp.nullable(),
});
export type Specimen = z.infer<typeof Specimen>;

export const CreateSpecimenBody = z.object({
  accession: z.string().trim().min(1).max(100),
  patientRef: z.string().trim().min(1).max(100).optional(),
});

export const IdempotencyHeaders = z.object({
  "idempotency-key": z.string().min(1).max(255).optional().describe("Replays the first response for a repeated create"),
});

export const ListSpecimensQuery = z.object({
  status: z.enum(SpecimenStatus).optional(),
  accession: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
});

export const SpecimenPage = z.object({
  items: z.array(Specimen),
  nextCursor: z.string().nullable(),
});
export type SpecimenPage = z.infer<typeof SpecimenPage>;

export const ReportImage = z.object({
  id: z.uuid(),
  originalName: z.string().nullable(),
  sha256: z.string(),
  status: z.enum(ImageStatus),
  failureReason: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  format: z.string().nullable(),
  prediction: z
    .object({
      label: z.string(),
      confidence: z.number(),
      malignantProbability: z.number().describe("P(malignant): the sum of the malignant classes' probabilities"),
      malignantThreshold: z
        .number()
        .describe(
          "The model version's image threshold: the image is called malignant (and shown as its most probable subtype) when malignantProbability ≥ this",
        ),
      malignantClasses: z
        .array(z.string())
        .describe("The classes the model version counts as malignant: a label among them is a malignant call"),
      probabilities: z.record(z.string(), z.number()),
      model: z.string().describe("name@version of the model version that made the prediction"),
      timings: z.record(z.string(), z.number()),
      gradcamUrl: z
        .string()
        .nullable()
        .describe("Where to GET the Grad-CAM overlay PNG (202 while an inference worker makes it on first request)"),
      gradcamKey: z
        .string()
        .nullable()
        .describe("Object key of the Grad-CAM overlay PNG (model-input geometry); null until first asked for"),
      flags: z.array(z.string()).describe("Review flags: low_confidence, ensemble_disagreement, out_of_distribution"),
      oodScore: z
        .number()
        .nullable()
        .describe(
          "Standardised Mahalanobis feature distance minus the model's calibrated threshold (largest over calibrated ensemble members); > 0 means unlike the training data",
        ),
    })
    .nullable(),
  review: Review.nullable().describe("The image's latest review; null until a technologist reviews it"),
});

export const SpecimenReport = Specimen.extend({ images: z.array(ReportImage) });
export type SpecimenReport = z.infer<typeof SpecimenReport>;
