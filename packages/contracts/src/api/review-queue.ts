import { z } from "zod";

/**
 * The review queue puts first what teaches the next model most: images unlike the training data,
 * then those the models disagree on, then the least confident.
 */
export const TEACHING_FLAGS = ["out_of_distribution", "ensemble_disagreement"] as const;

export const ReviewQueueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

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
});
export type ReviewQueueItem = z.infer<typeof ReviewQueueItem>;

export const ReviewQueue = z.object({
  items: z
    .array(ReviewQueueItem)
    .describe(
      "The lab's classified, unreviewed images: out of distribution first, then disagreeing, then least confident",
    ),
});
export type ReviewQueue = z.infer<typeof ReviewQueue>;
