import { z } from "zod";

/** Why the inference worker asks a technologist to look at an image. */
export const REVIEW_FLAGS = ["low_confidence", "ensemble_disagreement", "out_of_distribution"] as const;
export const ReviewFlag = z.enum(REVIEW_FLAGS);
export type ReviewFlag = z.infer<typeof ReviewFlag>;

/**
 * An image whose winning class has a lower probability than this is flagged low_confidence: the
 * inference worker's default (INFERENCE_MIN_CONFIDENCE) and the review workstation's.
 */
export const LOW_CONFIDENCE_THRESHOLD = 0.6;
