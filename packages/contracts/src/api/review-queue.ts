import { z } from "zod";
import { Timestamp } from "./primitives.js";

/**
 * The review queue puts first what teaches the next model most: images unlike the training data,
 * then those the models disagree on, then the least confident.
 */
export const TEACHING_FLAGS = ["out_of_distribution", "ensemble_disagreement"] as const;

export const ReviewQueueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  disagreesWith: z
    .string()
    .regex(/^.+@.+$/, "name@version")
    .optional()
    .describe(
      "name@version of a version in shadow (now or before): only the unreviewed images it labels differently from their prediction, malignant-call changes first, each with its score",
    ),
});

/** What a version in shadow scored an image: never a result, shown only to review the disagreement. */
export const ShadowScore = z.object({
  model: z.string().describe("name@version of the version in shadow"),
  label: z.string(),
  confidence: z.number(),
  malignantProbability: z.number(),
  malignantClasses: z.array(z.string()).describe("The classes the version in shadow counts as malignant"),
});
export type ShadowScore = z.infer<typeof ShadowScore>;

export const ReviewQueueItem = z.object({
  imageId: z.uuid(),
  specimenId: z.uuid(),
  accession: z.string(),
  originalName: z.string().nullable(),
  label: z.string().describe("The model's label"),
  confidence: z.number(),
  malignantProbability: z.number(),
  malignantClasses: z
    .array(z.string())
    .describe("The classes the model version counts as malignant: a label among them is a malignant call"),
  flags: z.array(z.string()),
  oodScore: z.number().nullable(),
  model: z.string().describe("name@version of the model version that made the prediction"),
  shadow: ShadowScore.optional().describe("With disagreesWith: what that version in shadow scored the image"),
});
export type ReviewQueueItem = z.infer<typeof ReviewQueueItem>;

/** The version in shadow now, so the workstation can offer the images it disagrees on. */
export const ShadowInReview = z.object({
  model: z.string().describe("name@version"),
  sample: z.number().describe("Share of specimens it scores"),
  since: Timestamp,
});
export type ShadowInReview = z.infer<typeof ShadowInReview>;

export const ReviewQueue = z.object({
  items: z
    .array(ReviewQueueItem)
    .describe(
      "The lab's classified, unreviewed images: out of distribution first, then disagreeing, then least confident",
    ),
  shadow: ShadowInReview.nullable().describe("The version in shadow now, if any"),
});
export type ReviewQueue = z.infer<typeof ReviewQueue>;
