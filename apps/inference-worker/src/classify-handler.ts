import {
  completeSpecimenIfSettled,
  failImage,
  ImageStatus,
  type ClassifyImagePayload,
  type Logger,
  type ObjectStore,
  type PrismaClient,
} from "@leukoflow/shared";
import { UnrecoverableError, type Job } from "bullmq";
import { decodeToModelInput } from "@leukoflow/ml";
import type { LoadedModel } from "./model-registry/load-active-model.js";

export interface ClassifyDeps {
  prisma: PrismaClient;
  objectStore: ObjectStore;
  model: () => LoadedModel;
  logger: Logger;
}

/**
 * Classifies one preprocessed image and records the Prediction. Replaying the job never duplicates
 * it: a Prediction is unique per image and model version.
 */
export async function classifyImage(deps: ClassifyDeps, { imageId }: ClassifyImagePayload, job: Job): Promise<void> {
  const image = await deps.prisma.image.findUnique({ where: { id: imageId } });
  if (!image) throw new UnrecoverableError(`Image ${imageId} no longer exists`);
  if (!image.preprocessedKey) throw new UnrecoverableError(`Image ${imageId} has not been preprocessed`);
  const { version, classifier } = deps.model();
  try {
    const started = performance.now();
    const pixels = await decodeToModelInput(await deps.objectStore.get(image.preprocessedKey), version.inputSize);
    const decodedAt = performance.now();
    const [probabilities] = await classifier.predict([pixels]);
    const inferredAt = performance.now();
    const scores = Object.fromEntries(version.classes.map((label, i) => [label, probabilities![i]!]));
    const best = version.classes.reduce((a, b) => (scores[a]! >= scores[b]! ? a : b));
    const timings = {
      queueWaitMs: Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp),
      decodeMs: decodedAt - started,
      inferenceMs: inferredAt - decodedAt,
    };
    await deps.prisma.prediction.upsert({
      where: { imageId_modelVersionId: { imageId, modelVersionId: version.id } },
      create: { imageId, modelVersionId: version.id, label: best, probabilities: scores, confidence: scores[best]!, timings },
      update: {},
    });
    await deps.prisma.image.update({ where: { id: imageId }, data: { status: ImageStatus.CLASSIFIED } });
    await completeSpecimenIfSettled(deps.prisma, image.specimenId);
  } catch (error) {
    if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw error;
    deps.logger.warn({ imageId, err: error }, "image failed classification");
    await failImage(deps.prisma, imageId, (error as Error).message);
    throw new UnrecoverableError((error as Error).message);
  }
}
