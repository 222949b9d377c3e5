import { sameModelInput, type ModelInputSpec } from "@leukoflow/ml";
import type { ScoreShadowPayload } from "@leukoflow/contracts";
import { ImageStatus, SUBTYPE_TASK, type Database, type Logger } from "@leukoflow/shared";
import type { Job } from "bullmq";
import type { MicroBatcher } from "../batching/micro-batcher.js";
import { queuedImage, type ClassifyResult, type QueuedImage } from "../classify-handler.js";
import { NoShadowLoadedError, type ShadowSlot } from "./shadow-slot.js";

export interface ScoreShadowDeps {
  db: Database;
  logger: Logger;
  slot: ShadowSlot;
  batcher: MicroBatcher<QueuedImage, ClassifyResult>;
}

/**
 * Scores one image with the version in shadow and waits until its ShadowPrediction is committed. It
 * touches nothing of the image's own result: no Prediction, no status, no specimen completion, and a
 * failure here (after its retries) fails this job alone. Dropped without a score: an image gone or
 * failed, a job for a version no longer in shadow, pixels made for another input (the active
 * version changed since). A worker still loading the version in shadow retries after the backoff.
 */
export async function scoreShadow(
  deps: ScoreShadowDeps,
  { imageId, modelVersionId }: ScoreShadowPayload,
  job: Job,
): Promise<void> {
  const served = deps.slot.version;
  if (served?.id !== modelVersionId) {
    const shadow = await deps.db.modelVersions.findShadow(SUBTYPE_TASK);
    if (shadow?.id !== modelVersionId) {
      deps.logger.debug({ imageId, modelVersionId }, "shadow job for a version no longer in shadow dropped");
      return;
    }
    throw new NoShadowLoadedError(
      `this worker has not loaded ${shadow.name}@${shadow.version}, in shadow, yet; the job is retried`,
    );
  }
  const image = await deps.db.images.find(imageId);
  if (!image || image.status === ImageStatus.FAILED) return;
  if (!image.preprocessedKey || image.inputSize === null || image.stainNormalization === null) return;
  const input: ModelInputSpec = { inputSize: image.inputSize, stainNormalization: image.stainNormalization };
  if (!sameModelInput(input, served)) return;
  const result = await deps.batcher.submit(
    queuedImage({ ...image, preprocessedKey: image.preprocessedKey }, input, job),
  );
  if ("fetchFailed" in result) throw result.fetchFailed;
  // Swapped for a version with another input between the check and the batch: nothing to score.
  if ("refusedBy" in result) return;
  await result.written;
}
