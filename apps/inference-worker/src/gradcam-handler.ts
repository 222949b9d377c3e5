import { gradCamKey, type RenderGradcamPayload } from "@leukoflow/contracts";
import { renderGradCamOverlay, sameModelInput, type ModelInputSpec } from "@leukoflow/ml";
import type { Database, ObjectStore } from "@leukoflow/shared";
import { UnrecoverableError } from "bullmq";
import type { ServedModel } from "./model-registry/served-model.js";
import { readModelInput } from "./model-input.js";
import type { ModelSlot } from "./serving/model-slot.js";

export interface GradcamDeps {
  db: Database;
  objectStore: ObjectStore;
  slot: ModelSlot<ServedModel>;
}

/**
 * Makes the Grad-CAM overlay of a prediction's reported class and records its key: asked for by
 * ingest when someone first opens it (or ahead of time for a lab with eager review images), never on
 * the hot path. Only the model version that made the prediction can explain it.
 */
export async function renderGradcam(deps: GradcamDeps, { predictionId }: RenderGradcamPayload): Promise<void> {
  const prediction = await deps.db.images.findPredictionWithImage(predictionId);
  if (!prediction) throw new UnrecoverableError(`Prediction ${predictionId} no longer exists`);
  if (prediction.gradcamKey) return;
  const { image } = prediction;
  const lease = deps.slot.acquire();
  try {
    const { ensemble, version } = lease.model;
    if (version.id !== prediction.modelVersionId) {
      throw new UnrecoverableError(
        `the prediction was made by another model version than the one served (${version.name}@${version.version})`,
      );
    }
    const input: ModelInputSpec = {
      inputSize: image.inputSize ?? 0,
      stainNormalization: image.stainNormalization ?? "none",
    };
    if (!image.preprocessedKey || !sameModelInput(input, ensemble.input))
      throw new UnrecoverableError("the image's stored input was made for another model");
    const pixels = await readModelInput(deps.objectStore, image.preprocessedKey, input);
    const [map] = await ensemble.gradCam([pixels], [version.classes.indexOf(prediction.label)]);
    const key = gradCamKey(image.labId, image.sha256, version.id);
    await deps.objectStore.put(key, await renderGradCamOverlay(pixels, map!, input.inputSize), "image/png");
    await deps.db.images.setGradcamKey(predictionId, key);
  } finally {
    lease.release();
  }
}
