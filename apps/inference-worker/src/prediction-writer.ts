import { renderGradCamOverlay } from "@leukoflow/ml";
import { ImageStatus, malignantProbability, type ObjectStore, type Prisma, type PrismaClient } from "@leukoflow/shared";
import type { Classification } from "./classify-batch.js";
import { imageFlags } from "./image-flags.js";

export interface WriterDeps {
  prisma: PrismaClient;
  objectStore: ObjectStore;
  minConfidence: number;
}

/** Lab-scoped and derived from the bytes and the version, so a replay overwrites the same object. */
export function gradCamKey(labId: string, sha256: string, modelVersionId: string): string {
  return `labs/${labId}/gradcam/${sha256}-${modelVersionId}.png`;
}

function toRecord(classes: readonly string[], values: Float32Array): Record<string, number> {
  return Object.fromEntries(classes.map((label, i) => [label, values[i]!]));
}

function predictionRow(classification: Classification, gradcamKey: string, minConfidence: number): Prisma.PredictionCreateManyInput {
  const { request, version, members, score, winner, batch } = classification;
  const label = version.classes[winner]!;
  return {
    imageId: request.imageId,
    modelVersionId: version.id,
    label,
    confidence: score.probabilities[winner]!,
    malignantProbability: malignantProbability(score.probabilities, version.classes),
    probabilities: toRecord(version.classes, score.probabilities),
    flags: imageFlags(score, minConfidence),
    oodScore: score.oodScore,
    members: members.length === 0 ? undefined : members.map((member, m) => ({ ...member, probabilities: toRecord(version.classes, score.members[m]!.probabilities) })),
    gradcamKey,
    timings: {
      ...request.jobTimings,
      batchWaitMs: Math.max(0, batch.startedAt - request.submittedAt),
      inferenceMs: batch.inferenceMs,
      batchSize: batch.size,
    },
  };
}

/**
 * Stores each Grad-CAM overlay, then writes the batch's Predictions and image statuses in one
 * transaction. Idempotent: a Prediction is unique per (image, version) and duplicates are skipped.
 */
export async function writePredictions(deps: WriterDeps, batch: readonly Classification[]): Promise<void> {
  const rows = await Promise.all(
    batch.map(async (classification) => {
      const { request, version } = classification;
      const key = gradCamKey(request.labId, request.sha256, version.id);
      const png = await renderGradCamOverlay(request.pixels, classification.gradCam, Math.sqrt(classification.gradCam.length));
      await deps.objectStore.put(key, png, "image/png");
      return predictionRow(classification, key, deps.minConfidence);
    }),
  );
  await deps.prisma.$transaction([
    deps.prisma.prediction.createMany({ data: rows, skipDuplicates: true }),
    deps.prisma.image.updateMany({
      where: { id: { in: rows.map((row) => row.imageId) }, status: ImageStatus.PREPROCESSED },
      data: { status: ImageStatus.CLASSIFIED },
    }),
  ]);
}
