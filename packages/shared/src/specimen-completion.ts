import type { Database } from "./repositories/database.js";
import { ImageStatus, SpecimenStatus } from "./generated/prisma/enums.js";
import { malignantThresholds, type SpecimenSummary } from "@leukoflow/contracts";
import { summarizeSpecimen } from "./specimen-summary.js";

/**
 * Completes a specimen once none of its images is still in flight, with its verdict: counts per
 * class, malignant fraction, the call under the operating point of the model version that made its
 * latest prediction, and the review flags of its images' predictions. Call it after an image's
 * final status is committed, or in the transaction that sets it: the specimen's row is locked
 * first, so of two transactions settling its last images the second waits for the first to commit
 * and then sees every image settled (read committed reads each statement afresh).
 * Safe to call concurrently and repeatedly; the specimen is completed once.
 */
export async function completeSpecimenIfSettled(
  { specimens }: Database,
  specimenId: string,
): Promise<SpecimenSummary | null> {
  await specimens.lock(specimenId);
  if ((await specimens.countInFlightImages(specimenId)) > 0) return null;
  const images = await specimens.listImagesWithLatestPrediction(specimenId);
  const classified = images.flatMap((image) => (image.status === ImageStatus.CLASSIFIED ? image.predictions : []));
  const failedCount = images.filter((image) => image.status === ImageStatus.FAILED).length;
  const latest = classified.reduce<(typeof classified)[number] | undefined>(
    (a, b) => (a && a.createdAt >= b.createdAt ? a : b),
    undefined,
  );
  // Nothing classified: no version called it, and the summary is indeterminate whatever the rule.
  const summary = summarizeSpecimen(classified, failedCount, {
    malignantClasses: latest?.modelVersion.malignantClasses ?? [],
    thresholds: malignantThresholds(latest?.modelVersion.operatingPoint),
  });
  const settled = await specimens.settle(
    specimenId,
    classified.length > 0 ? SpecimenStatus.COMPLETED : SpecimenStatus.FAILED,
    { ...summary, thresholds: { ...summary.thresholds } },
  );
  return settled ? summary : null;
}
