import type { ReviewWithContext } from "@leukoflow/shared";
import type { Review } from "@leukoflow/contracts";

export function toReviewDto(row: ReviewWithContext): Review {
  return {
    id: row.id,
    imageId: row.imageId,
    decision: row.decision,
    predictedLabel: row.prediction.label,
    label: row.label,
    reason: row.reason,
    reviewer: row.apiKey.name,
    createdAt: row.createdAt.toISOString(),
  };
}
