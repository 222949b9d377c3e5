import { sameModelInput, type ModelInputSpec } from "@leukoflow/ml";
import {
  enqueue,
  ImageStatus,
  imageJobIds,
  SUBTYPE_TASK,
  type Database,
  type LeukoflowQueue,
  type Logger,
  type ModelVersion,
  type SpecimenChangePublisher,
} from "@leukoflow/shared";

export interface InputRefusalDeps {
  db: Database;
  preprocessQueue: LeukoflowQueue<"preprocess">;
  changes: SpecimenChangePublisher;
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
  image: { id: string; labId: string; specimenId: string; round: number } & ModelInputSpec,
  servedModel: ModelVersion,
): Promise<void> {
  const active = await deps.db.modelVersions.activeModel(SUBTYPE_TASK);
  if (sameModelInput(image, active)) {
    throw new ServedModelBehindError(
      `this worker still serves ${label(servedModel)}; the active ${label(active)} takes the image's input and loads soon`,
    );
  }
  const current = await deps.db.images.sendBackToPreprocessing(image.id, image.round);
  if (current.status !== ImageStatus.RECEIVED) return;
  await enqueue(
    deps.preprocessQueue,
    "preprocess-image",
    { v: 1, imageId: image.id },
    imageJobIds({ id: image.id, round: current.round }).preprocess,
  );
  await deps.changes.publishImages(
    [{ labId: image.labId, specimenId: image.specimenId, imageId: image.id }],
    ImageStatus.RECEIVED,
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
