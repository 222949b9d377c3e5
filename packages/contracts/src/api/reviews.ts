import { ReviewDecision } from "./statuses.js";
import { z } from "zod";
import { Timestamp } from "./primitives.js";

const Reason = z.string().trim().min(1).max(1000);

export const ImageParams = z.object({ imageId: z.uuid() });

export const ReviewBody = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal(ReviewDecision.CONFIRMED), reason: Reason.optional() }),
  z.object({
    decision: z.literal(ReviewDecision.OVERRIDDEN),
    label: z.string().min(1).max(50).describe("One of the classes the predicting model emits"),
    reason: Reason.describe("Why the prediction is wrong; required to override"),
  }),
]);
export type ReviewBody = z.infer<typeof ReviewBody>;

export const Review = z.object({
  id: z.uuid(),
  imageId: z.uuid(),
  decision: z.enum(ReviewDecision),
  predictedLabel: z.string(),
  label: z.string().describe("The label the reviewer settled on: the predicted one when confirmed"),
  reason: z.string().nullable(),
  reviewer: z.string().describe("Name of the API key the reviewer signed in with"),
  createdAt: Timestamp,
});
export type Review = z.infer<typeof Review>;
