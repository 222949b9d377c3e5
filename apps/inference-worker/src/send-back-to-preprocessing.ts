import { enqueue, ImageStatus, imageJobIds, type LeukoflowQueue, type Logger, type ModelVersion, type PrismaClient } from "@leukoflow/shared";

export interface SendBackDeps {
  prisma: PrismaClient;
  preprocessQueue: LeukoflowQueue<"preprocess">;
  logger: Logger;
}

/**
 * An image preprocessed for another model than the one now served (a model was activated while it
 * was in flight) goes back to the preprocess worker, which makes the input the active model wants.
 * Its next round gets fresh job ids; the update is conditional and the enqueue idempotent, so a
 * replayed job neither sends it back twice nor loses it.
 */
export async function sendBackToPreprocessing(deps: SendBackDeps, image: { id: string; round: number }, servedModel: ModelVersion): Promise<void> {
  await deps.prisma.image.updateMany({
    where: { id: image.id, status: ImageStatus.PREPROCESSED, round: image.round },
    data: { status: ImageStatus.RECEIVED, round: image.round + 1 },
  });
  const current = await deps.prisma.image.findUniqueOrThrow({ where: { id: image.id }, select: { status: true, round: true } });
  if (current.status !== ImageStatus.RECEIVED) return;
  await enqueue(deps.preprocessQueue, "preprocess-image", { v: 1, imageId: image.id }, imageJobIds({ id: image.id, round: current.round }).preprocess);
  deps.logger.info(
    { imageId: image.id, round: current.round, model: `${servedModel.name}@${servedModel.version}`, inputSize: servedModel.inputSize, stainNormalization: servedModel.stainNormalization },
    "image sent back to preprocessing for the model now served",
  );
}
