import type * as tf from "@tensorflow/tfjs";
import { writeModelMetadata, type ModelMetadata } from "../model-metadata.js";
import { saveModelFiles } from "../model/model-files.js";

/** Writes what loadClassifier reads: model.json, weights.bin and leukoflow-model.json. */
export async function exportModel(model: tf.LayersModel, dir: string, metadata: ModelMetadata): Promise<void> {
  await saveModelFiles(model, dir);
  await writeModelMetadata(dir, metadata);
}
