import { ReviewDecision, type Database } from "@leukoflow/shared";
import type { Caller } from "../auth.js";
import { HttpProblem } from "../problem.js";
import type { Review, ReviewBody } from "@leukoflow/contracts";
import { findLabImage } from "./lab-specimen.js";
import { toReviewDto } from "./review-dto.js";

/**
 * Records a reviewer's confirmation or correction of an image's latest prediction, with an
 * AuditEvent in the same transaction so the audit trail never misses a review.
 */
export async function recordReview(db: Database, caller: Caller, imageId: string, body: ReviewBody): Promise<Review> {
  const image = await findLabImage(db, caller.labId, imageId);
  const prediction = image.predictions[0];
  if (!prediction)
    throw new HttpProblem(409, "image-not-classified", "Image not classified yet", "Only a prediction can be reviewed");

  const label = body.decision === ReviewDecision.OVERRIDDEN ? body.label : prediction.label;
  if (body.decision === ReviewDecision.OVERRIDDEN) {
    const classes = Object.keys(prediction.probabilities as Record<string, number>);
    if (!classes.includes(label)) {
      throw new HttpProblem(422, "unknown-label", "Unknown label", `${label} is not one of ${classes.join(", ")}`);
    }
    if (label === prediction.label) {
      throw new HttpProblem(
        422,
        "override-same-label",
        "Override keeps the predicted label",
        "Confirm the prediction instead",
      );
    }
  }

  const review = await db.transaction(async (tx) => {
    const created = await tx.images.createReview({
      labId: caller.labId,
      imageId,
      predictionId: prediction.id,
      apiKeyId: caller.apiKeyId,
      decision: body.decision,
      label,
      reason: body.reason ?? null,
    });
    await tx.labs.recordAudit({
      labId: caller.labId,
      actor: `api-key:${caller.apiKeyId}`,
      action: "image.reviewed",
      entityType: "image",
      entityId: imageId,
      details: {
        reviewId: created.id,
        decision: body.decision,
        predictedLabel: prediction.label,
        label,
        reason: created.reason,
      },
    });
    return created;
  });
  return toReviewDto(review);
}
