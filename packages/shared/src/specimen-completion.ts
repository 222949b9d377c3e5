import type { Prisma } from "./generated/prisma/client.js";
import { ImageStatus, SpecimenStatus } from "./generated/prisma/enums.js";
import { malignantThresholds } from "./malignant-call.js";
import { summarizeSpecimen, type SpecimenSummary } from "./specimen-summary.js";

/**
 * Completes a specimen once none of its images is still in flight, with its verdict: counts per
 * class, malignant fraction, the call under the operating point of the model version that made its
 * latest prediction, and the review flags of its images' predictions. Call it after an image's
 * final status is committed, or in the transaction that sets it: the specimen's row is locked
 * first, so of two transactions settling its last images the second waits for the first to commit
 * and then sees every image settled (read committed reads each statement afresh).
 * Safe to call concurrently and repeatedly; the specimen is completed once.
 */
/**
 * Locks the specimen's row for the rest of the transaction. A transaction that inserts images of a
 * specimen and then completes it must lock first: an image insert holds a key-share lock on the row,
 * and two such transactions upgrading to FOR UPDATE would deadlock.
 */
export async function lockSpecimen(prisma: Prisma.TransactionClient, specimenId: string): Promise<void> {
  await prisma.$queryRaw`SELECT id FROM specimen WHERE id = ${specimenId}::uuid FOR UPDATE`;
}

export async function completeSpecimenIfSettled(
  prisma: Prisma.TransactionClient,
  specimenId: string,
): Promise<SpecimenSummary | null> {
  await lockSpecimen(prisma, specimenId);
  const inFlight = await prisma.image.count({
    where: { specimenId, status: { in: [ImageStatus.RECEIVED, ImageStatus.PREPROCESSED] } },
  });
  if (inFlight > 0) return null;
  const images = await prisma.image.findMany({
    where: { specimenId },
    select: {
      status: true,
      predictions: {
        select: {
          label: true,
          confidence: true,
          malignantProbability: true,
          flags: true,
          createdAt: true,
          modelVersion: { select: { operatingPoint: true } },
        },
        orderBy: { createdAt: "desc" },
        take: 1,
      },
    },
  });
  const classified = images.flatMap((image) => (image.status === ImageStatus.CLASSIFIED ? image.predictions : []));
  const failedCount = images.filter((image) => image.status === ImageStatus.FAILED).length;
  const latest = classified.reduce<(typeof classified)[number] | undefined>(
    (a, b) => (a && a.createdAt >= b.createdAt ? a : b),
    undefined,
  );
  const summary = summarizeSpecimen(classified, failedCount, malignantThresholds(latest?.modelVersion.operatingPoint));
  const { count } = await prisma.specimen.updateMany({
    where: { id: specimenId, status: { notIn: [SpecimenStatus.COMPLETED, SpecimenStatus.FAILED] } },
    data: {
      status: classified.length > 0 ? SpecimenStatus.COMPLETED : SpecimenStatus.FAILED,
      summary: { ...summary, thresholds: { ...summary.thresholds } },
      completedAt: new Date(),
    },
  });
  return count > 0 ? summary : null;
}
