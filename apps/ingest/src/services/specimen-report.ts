import type { Database } from "@leukoflow/shared";
import { type SpecimenReport, malignantThresholds } from "@leukoflow/contracts";
import { toReviewDto } from "./review-dto.js";
import { toSpecimenDto } from "./specimen-dto.js";

/** A specimen with each image's latest prediction and review, scoped to the caller's lab (null when not theirs). */
export async function specimenReport(db: Database, labId: string, specimenId: string): Promise<SpecimenReport | null> {
  const specimen = await db.specimens.findWithResults(labId, specimenId);
  if (!specimen) return null;
  return {
    ...toSpecimenDto(specimen),
    images: specimen.images.map(({ predictions, reviews, ...image }) => {
      const prediction = predictions[0];
      const review = reviews[0];
      return {
        id: image.id,
        originalName: image.originalName,
        sha256: image.sha256,
        status: image.status,
        failureReason: image.failureReason,
        width: image.width,
        height: image.height,
        format: image.format,
        prediction: prediction
          ? {
              label: prediction.label,
              confidence: prediction.confidence,
              malignantProbability: prediction.malignantProbability,
              malignantThreshold: malignantThresholds(prediction.modelVersion.operatingPoint).image,
              malignantClasses: prediction.modelVersion.malignantClasses,
              probabilities: prediction.probabilities as Record<string, number>,
              model: `${prediction.modelVersion.name}@${prediction.modelVersion.version}`,
              timings: prediction.timings as Record<string, number>,
              gradcamUrl: `/v1/images/${image.id}/gradcam`,
              gradcamKey: prediction.gradcamKey,
              flags: prediction.flags,
              oodScore: prediction.oodScore,
            }
          : null,
        review: review ? toReviewDto(review) : null,
      };
    }),
  };
}
