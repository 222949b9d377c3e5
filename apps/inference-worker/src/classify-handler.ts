import {
  BACKGROUND_PRIORITY,
  enqueue,
  failImage,
  gradcamJobId,
  ImageStatus,
  retriesSpentReason,
  type LeukoflowQueue,
} from "@leukoflow/shared";
import { UnrecoverableError, type Job } from "bullmq";
import type { ModelInputSpec } from "@leukoflow/ml";
import type { MicroBatcher } from "./batching/micro-batcher.js";
import type { ClassifyRequest, InputRefusal } from "./classify-batch.js";
import { handleInputRefusal, type InputRefusalDeps } from "./input-refusal.js";
import type { ClassifyImagePayload } from "@leukoflow/contracts";

/** An image waiting for its batch; the batch fetches every image's model input at once. */
export interface QueuedImage extends Omit<ClassifyRequest, "pixels" | "jobTimings"> {
  preprocessedKey: string;
  queueWaitMs: number;
}

/** A preprocessed image as its batch takes it, with how long its job waited in the queue. */
export function queuedImage(
  image: { id: string; labId: string; specimenId: string; sha256: string; preprocessedKey: string },
  input: ModelInputSpec,
  job: Job,
): QueuedImage {
  return {
    imageId: image.id,
    labId: image.labId,
    specimenId: image.specimenId,
    sha256: image.sha256,
    preprocessedKey: image.preprocessedKey,
    input,
    submittedAt: performance.now(),
    queueWaitMs: Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp),
  };
}

/**
 * `written` resolves once the request's batch has its Predictions committed (and the specimen
 * completed if these were its last images); `fetchFailed` is its model input's download error.
 */
export type ClassifyResult =
  { written: Promise<void>; modelVersionId: string } | InputRefusal | { fetchFailed: unknown };

export interface ClassifyDeps extends InputRefusalDeps {
  batcher: MicroBatcher<QueuedImage, ClassifyResult>;
  gradcamQueue: LeukoflowQueue<"gradcam">;
}

/**
 * Hands one preprocessed image to the shared batcher and waits until its Prediction is committed.
 * Replaying the job never duplicates a Prediction (unique per image and model version, written
 * with skipDuplicates). Pixels made for another model's input than the served one's are handled by
 * handleInputRefusal. For a lab with eager review images, the Grad-CAM is queued behind all else.
 */
export async function classifyImage(deps: ClassifyDeps, { imageId }: ClassifyImagePayload, job: Job): Promise<void> {
  const image = await deps.db.images.findWithLabSettings(imageId);
  if (!image) throw new UnrecoverableError(`Image ${imageId} no longer exists`);
  if (!image.preprocessedKey || image.inputSize === null || image.stainNormalization === null) {
    throw new UnrecoverableError(`Image ${imageId} has not been preprocessed`);
  }
  if (image.status === ImageStatus.FAILED) return;
  try {
    const input: ModelInputSpec = { inputSize: image.inputSize, stainNormalization: image.stainNormalization };
    const result = await deps.batcher.submit(
      queuedImage({ ...image, preprocessedKey: image.preprocessedKey }, input, job),
    );
    if ("fetchFailed" in result) throw result.fetchFailed;
    if ("refusedBy" in result) {
      await handleInputRefusal(deps, { ...image, ...input }, result.refusedBy);
      return;
    }
    await result.written;
    if (image.lab.eagerReviewImages) await queueGradcam(deps, imageId, result.modelVersionId);
  } catch (error) {
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 < attempts) throw error;
    deps.logger.warn({ imageId, err: error }, "image failed classification");
    const reason = retriesSpentReason(attempts, error);
    await failImage(deps, imageId, reason);
    throw new UnrecoverableError(reason);
  }
}

async function queueGradcam(deps: ClassifyDeps, imageId: string, modelVersionId: string): Promise<void> {
  const prediction = await deps.db.images.findPrediction(imageId, modelVersionId);
  if (!prediction) throw new Error(`Image ${imageId} has no prediction of model version ${modelVersionId}`);
  const { id } = prediction;
  await enqueue(deps.gradcamQueue, "render-gradcam", { v: 1, predictionId: id }, gradcamJobId(id), {
    priority: BACKGROUND_PRIORITY,
  });
}
