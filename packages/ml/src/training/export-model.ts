import type * as tf from "@tensorflow/tfjs";
import { writeModelMetadata } from "../model/model-metadata.js";
import { saveModelFiles } from "../model/model-files.js";
import type { ModelMetadata } from "@leukoflow/contracts";

/** Writes what loadClassifier reads: model.json, weights.bin and leukoflow-model.json. */
export async function exportModel(model: tf.LayersModel, dir: string, metadata: ModelMetadata): Promise<void> {
  await saveModelFiles(model, dir);
  await writeModelMetadata(dir, metadata);
}
