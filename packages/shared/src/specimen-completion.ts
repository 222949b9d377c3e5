import type { PrismaClient } from "./generated/prisma/client.js";
import { ImageStatus, SpecimenStatus } from "./generated/prisma/enums.js";
import { summarizeSpecimen, type SpecimenSummary } from "./specimen-summary.js";

/**
 * Completes a specimen once none of its images is still in flight, with its verdict: counts per
 * class, malignant fraction, the call and the review flags of its images' predictions. Call it after an image's
 * final status is committed: whichever worker commits last then sees every image settled.
 * Safe to call concurrently and repeatedly; the specimen is completed once.
 */
export async function completeSpecimenIfSettled(prisma: PrismaClient, specimenId: string): Promise<SpecimenSummary | null> {
  const inFlight = await prisma.image.count({
    where: { specimenId, status: { in: [ImageStatus.RECEIVED, ImageStatus.PREPROCESSED] } },
  });
  if (inFlight > 0) return null;
  const images = await prisma.image.findMany({
    where: { specimenId },
    select: {
      status: true,
      predictions: { select: { label: true, confidence: true, flags: true }, orderBy: { createdAt: "desc" }, take: 1 },
    },
  });
  const classified = images.flatMap((image) => (image.status === ImageStatus.CLASSIFIED ? image.predictions : []));
  const failedCount = images.filter((image) => image.status === ImageStatus.FAILED).length;
  const summary = summarizeSpecimen(classified, failedCount);
  const { count } = await prisma.specimen.updateMany({
    where: { id: specimenId, status: { notIn: [SpecimenStatus.COMPLETED, SpecimenStatus.FAILED] } },
    data: {
      status: classified.length > 0 ? SpecimenStatus.COMPLETED : SpecimenStatus.FAILED,
      summary: { ...summary },
      completedAt: new Date(),
    },
  });
  return count > 0 ? summary : null;
}
