import {
  completeSpecimenIfSettled,
  failImage,
  ImageStatus,
  retriesSpentReason,
  type ClassifyImagePayload,
  type Logger,
  type ObjectStore,
  type PrismaClient,
} from "@leukoflow/shared";
import { UnrecoverableError, type Job } from "bullmq";
import { decodeToModelInput } from "@leukoflow/ml";
import type { MicroBatcher } from "./batching/micro-batcher.js";
import type { ClassifyRequest } from "./classify-batch.js";

export interface ClassifyDeps {
  prisma: PrismaClient;
  objectStore: ObjectStore;
  /** Resolves once the request's batch is classified and its Predictions are committed. */
  batcher: MicroBatcher<ClassifyRequest, { written: Promise<void> }>;
  inputSize: () => number;
  logger: Logger;
}

/**
 * Decodes one preprocessed image, hands it to the shared batcher and waits until its Prediction
 * is committed; then completes the specimen if this was its last image in flight. Replaying the
 * job never duplicates a Prediction (unique per image and model version, written with skipDuplicates).
 */
export async function classifyImage(deps: ClassifyDeps, { imageId }: ClassifyImagePayload, job: Job): Promise<void> {
  const image = await deps.prisma.image.findUnique({ where: { id: imageId } });
  if (!image) throw new UnrecoverableError(`Image ${imageId} no longer exists`);
  if (!image.preprocessedKey) throw new UnrecoverableError(`Image ${imageId} has not been preprocessed`);
  if (image.status === ImageStatus.FAILED) return;
  try {
    const started = performance.now();
    // The preprocess worker has already normalized the colours as the active model declares.
    const pixels = await decodeToModelInput(await deps.objectStore.get(image.preprocessedKey), { inputSize: deps.inputSize(), stainNormalization: "none" });
    const submittedAt = performance.now();
    const { written } = await deps.batcher.submit({
      imageId,
      labId: image.labId,
      specimenId: image.specimenId,
      sha256: image.sha256,
      pixels,
      submittedAt,
      jobTimings: { queueWaitMs: Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp), decodeMs: submittedAt - started },
    });
    await written;
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
