import { sameModelInput, type ModelInputSpec } from "@leukoflow/ml";
import {
  activeModel,
  enqueue,
  ImageStatus,
  imageJobIds,
  SUBTYPE_TASK,
  type LeukoflowQueue,
  type Logger,
  type ModelVersion,
  type PrismaClient,
} from "@leukoflow/shared";

export interface InputRefusalDeps {
  prisma: PrismaClient;
  preprocessQueue: LeukoflowQueue<"preprocess">;
  logger: Logger;
}

/** This worker has not yet loaded the newly activated model that takes the image's input; a retry will find it loaded. */
export class ServedModelBehindError extends Error {
  override readonly name = "ServedModelBehindError";
}

const label = (version: ModelVersion) => `${version.name}@${version.version}`;

/**
 * The served model refused an image preprocessed for another input: a model was activated while the
 * image was in flight. If the active model takes another input too, the image goes back to the
 * preprocess worker, which makes the input the active model wants; its next round gets fresh job ids,
 * and since the update is conditional and the enqueue idempotent, a replayed job neither sends it
 * back twice nor loses it. If the active model takes the image's input, it is this worker that is
 * behind, and the job is retried after its backoff instead.
 */
export async function handleInputRefusal(
  deps: InputRefusalDeps,
  image: { id: string; round: number } & ModelInputSpec,
  servedModel: ModelVersion,
): Promise<void> {
  const active = await activeModel(deps.prisma, SUBTYPE_TASK);
  if (sameModelInput(image, active)) {
    throw new ServedModelBehindError(
      `this worker still serves ${label(servedModel)}; the active ${label(active)} takes the image's input and loads soon`,
    );
  }
  await deps.prisma.image.updateMany({
    where: { id: image.id, status: ImageStatus.PREPROCESSED, round: image.round },
    data: { status: ImageStatus.RECEIVED, round: image.round + 1 },
  });
  const current = await deps.prisma.image.findUniqueOrThrow({
    where: { id: image.id },
    select: { status: true, round: true },
  });
  if (current.status !== ImageStatus.RECEIVED) return;
  await enqueue(
    deps.preprocessQueue,
    "preprocess-image",
    { v: 1, imageId: image.id },
    imageJobIds({ id: image.id, round: current.round }).preprocess,
  );
  deps.logger.info(
    {
      imageId: image.id,
      round: current.round,
      model: label(active),
      inputSize: active.inputSize,
      stainNormalization: active.stainNormalization,
    },
    "image sent back to preprocessing for the active model",
  );
}
