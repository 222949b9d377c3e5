import type { Database, NewShadowPrediction } from "@leukoflow/shared";
import type { Classification } from "../classify-batch.js";
import { predictionRow } from "../prediction-writer.js";

/**
 * Writes a batch's shadow scores, computed as the active path computes a Prediction (predictionRow),
 * to ShadowPrediction only: no image status, no specimen completion, nothing a lab sees. Idempotent:
 * unique per (image, version), duplicates skipped, so a retried job writes nothing twice.
 */
export async function writeShadowPredictions(
  deps: { db: Database; minConfidence: number },
  batch: readonly Classification[],
): Promise<void> {
  await deps.db.shadowPredictions.insertMany(
    batch.map((classification): NewShadowPrediction => {
      const { timings: _timings, gradcamKey: _gradcamKey, ...row } = predictionRow(classification, deps.minConfidence);
      return row;
    }),
  );
}
