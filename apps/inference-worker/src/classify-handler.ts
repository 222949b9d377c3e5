import {
  completeSpecimenIfSettled,
  failImage,
  ImageStatus,
  retriesSpentReason,
  decodeModelInputPixels,
  type ClassifyImagePayload,
  type ObjectStore,
} from "@leukoflow/shared";
import { UnrecoverableError, type Job } from "bullmq";
import { decodeToModelInput, type ModelInputSpec } from "@leukoflow/ml";
import type { MicroBatcher } from "./batching/micro-batcher.js";
import type { ClassifyRequest, InputRefusal } from "./classify-batch.js";
import { handleInputRefusal, type InputRefusalDeps } from "./input-refusal.js";

/** `written` resolves once the request's batch has its Predictions committed. */
export type ClassifyResult = { written: Promise<void> } | InputRefusal;

export interface ClassifyDeps extends InputRefusalDeps {
  objectStore: ObjectStore;
  batcher: MicroBatcher<ClassifyRequest, ClassifyResult>;
}

/**
 * Decodes one preprocessed image, hands it to the shared batcher and waits until its Prediction
 * is committed; then completes the specimen if this was its last image in flight. Replaying the
 * job never duplicates a Prediction (unique per image and model version, written with skipDuplicates).
 * Pixels made for another model's input than the served one's are handled by handleInputRefusal.
 */
export async function classifyImage(deps: ClassifyDeps, { imageId }: ClassifyImagePayload, job: Job): Promise<void> {
  const image = await deps.prisma.image.findUnique({ where: { id: imageId } });
  if (!image) throw new UnrecoverableError(`Image ${imageId} no longer exists`);
  if (!image.preprocessedKey || image.inputSize === null || image.stainNormalization === null) {
    throw new UnrecoverableError(`Image ${imageId} has not been preprocessed`);
  }
  if (image.status === ImageStatus.FAILED) return;
  try {
    const started = performance.now();
    const input: ModelInputSpec = { inputSize: image.inputSize, stainNormalization: image.stainNormalization };
    const stored = await deps.objectStore.get(image.preprocessedKey);
    // The stored pixels are already colour-normalized. A PNG is an image preprocessed before the raw format, in flight across an upgrade.
    const pixels = image.preprocessedKey.endsWith(".png")
      ? await decodeToModelInput(stored, { inputSize: input.inputSize, stainNormalization: "none" })
      : decodeModelInputPixels(stored).data;
    const submittedAt = performance.now();
    const result = await deps.batcher.submit({
      imageId,
      labId: image.labId,
      specimenId: image.specimenId,
      sha256: image.sha256,
      pixels,
      input,
      submittedAt,
      jobTimings: { queueWaitMs: Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp), decodeMs: submittedAt - started },
    });
    if ("refusedBy" in result) {
      await handleInputRefusal(deps, { ...image, ...input }, result.refusedBy);
      return;
    }
    await result.written;
    await completeSpecimenIfSettled(deps.prisma, image.specimenId);
  } catch (error) {
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 < attempts) throw error;
    deps.logger.warn({ imageId, err: error }, "image failed classification");
    const reason = retriesSpentReason(attempts, error);
    await failImage(deps.prisma, imageId, reason);
    throw new UnrecoverableError(reason);
  }
}
