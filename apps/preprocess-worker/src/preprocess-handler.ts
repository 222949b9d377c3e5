import {
  enqueue,
  failImage,
  ImageStatus,
  InvalidImageError,
  type LeukoflowQueue,
  type Logger,
  type ObjectStore,
  type PreprocessImagePayload,
  type PrismaClient,
} from "@leukoflow/shared";
import { UnrecoverableError, type Job } from "bullmq";
import { normalizeImage, PREPROCESSING_VERSION } from "./normalize-image.js";

export interface PreprocessDeps {
  prisma: PrismaClient;
  objectStore: ObjectStore;
  inferenceQueue: LeukoflowQueue<"inference">;
  logger: Logger;
  maxInputPixels: number;
}

/**
 * Turns an uploaded image into the active model's input and hands it to inference. Replaying the
 * job is harmless: the output key is derived from the bytes, and the classify job id from the image.
 */
export async function preprocessImage(deps: PreprocessDeps, { imageId }: PreprocessImagePayload, job: Job): Promise<void> {
  const image = await deps.prisma.image.findUnique({ where: { id: imageId } });
  if (!image) throw new UnrecoverableError(`Image ${imageId} no longer exists`);
  if (image.status === ImageStatus.FAILED) return;
  const inputSize = await activeModelInputSize(deps.prisma);
  const outputKey = `labs/${image.labId}/preprocessed/v${PREPROCESSING_VERSION}-${inputSize}/${image.sha256}.png`;
  try {
    if (!(await deps.objectStore.head(outputKey))) {
      const normalized = await normalizeImage(await deps.objectStore.get(image.objectKey), inputSize, deps.maxInputPixels);
      await deps.objectStore.put(outputKey, normalized.png, "image/png");
      await deps.prisma.image.update({
        where: { id: imageId },
        data: { width: normalized.width, height: normalized.height, format: normalized.format },
      });
    }
    await deps.prisma.image.updateMany({
      where: { id: imageId, status: ImageStatus.RECEIVED },
      data: { status: ImageStatus.PREPROCESSED, preprocessedKey: outputKey },
    });
    await enqueue(deps.inferenceQueue, "classify-image", { v: 1, imageId }, `classify-${imageId}`);
  } catch (error) {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (error instanceof InvalidImageError || lastAttempt) {
      deps.logger.warn({ imageId, err: error }, "image failed preprocessing");
      await failImage(deps.prisma, imageId, (error as Error).message);
      throw new UnrecoverableError((error as Error).message);
    }
    throw error;
  }
}

async function activeModelInputSize(prisma: PrismaClient): Promise<number> {
  const model = await prisma.modelVersion.findFirst({ where: { active: true }, select: { inputSize: true } });
  if (!model) throw new Error("No active model version: publish one with `leukoflow models publish`");
  return model.inputSize;
}
