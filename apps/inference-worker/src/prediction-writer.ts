import { completeSpecimenIfSettled, type Database, type NewPrediction } from "@leukoflow/shared";
import type { Classification } from "./classify-batch.js";
import { imageFlags } from "./image-flags.js";
import { malignantProbability } from "@leukoflow/contracts";

export interface WriterDeps {
  db: Database;
  minConfidence: number;
}

function toRecord(classes: readonly string[], values: Float32Array): Record<string, number> {
  return Object.fromEntries(classes.map((label, i) => [label, values[i]!]));
}

/** The Prediction row of one classification: label, probabilities, P(malignant), flags, OOD score, members, timings. */
export function predictionRow(classification: Classification, minConfidence: number): NewPrediction {
  const { request, version, members, score, winner, batch } = classification;
  const label = version.classes[winner]!;
  return {
    imageId: request.imageId,
    modelVersionId: version.id,
    label,
    confidence: score.probabilities[winner]!,
    malignantProbability: malignantProbability(score.probabilities, version.classes, version.malignantClasses),
    probabilities: toRecord(version.classes, score.probabilities),
    flags: imageFlags(score, minConfidence),
    oodScore: score.oodScore,
    members:
      members.length === 0
        ? undefined
        : members.map((member, m) => ({
            ...member,
            probabilities: toRecord(version.classes, score.members[m]!.probabilities),
          })),
    timings: {
      ...request.jobTimings,
      batchWaitMs: Math.max(0, batch.startedAt - request.submittedAt),
      inferenceMs: batch.inferenceMs,
      batchSize: batch.size,
    },
  };
}

/**
 * Writes the batch's Predictions, their images' statuses and the completion of every specimen whose
 * last images these were, in one transaction. Idempotent: a Prediction is unique per (image,
 * version) and duplicates are skipped; a replay that finds its Prediction written still completes
 * the specimen if nothing did. Grad-CAM is made later, when first asked for.
 */
export async function writePredictions(deps: WriterDeps, batch: readonly Classification[]): Promise<void> {
  if (batch.length === 0) return;
  const rows = batch.map((classification) => predictionRow(classification, deps.minConfidence));
  // Sorted, so two transactions lock shared specimens in the same order.
  const specimenIds = [...new Set(batch.map(({ request }) => request.specimenId))].sort();
  await deps.db.transaction(async (tx) => {
    await tx.images.insertPredictionsAndClassify(rows);
    for (const specimenId of specimenIds) await completeSpecimenIfSettled(tx, specimenId);
  });
}
