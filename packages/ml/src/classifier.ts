import { ensureBackend, selectBackend, type BackendLog, type BackendPreference } from "./backend.js";
import { readModelMetadata } from "./model/model-metadata.js";
import { loadModelFiles } from "./model/model-files.js";
import { predictProbabilities } from "./training/predict-probabilities.js";
import type { ModelMetadata } from "@leukoflow/contracts";

export interface Classifier {
  meta: ModelMetadata;
  /** Softmax over meta.classes for each image: raw RGB bytes, HWC, meta.inputSize² × 3 each. */
  predict(batch: Uint8Array[]): Promise<Float32Array[]>;
  dispose(): void;
}

export interface LoadClassifierOptions {
  /** Without it, a backend chosen earlier with selectBackend is kept, else "auto". */
  backend?: BackendPreference;
  log?: BackendLog;
}

/** Loads a model directory written by training: model.json, weights, leukoflow-model.json. */
export async function loadClassifier(modelDir: string, options: LoadClassifierOptions = {}): Promise<Classifier> {
  if (options.backend !== undefined) await selectBackend(options.backend, options.log);
  else await ensureBackend("auto", options.log);
  const meta = await readModelMetadata(modelDir);
  const model = await loadModelFiles(modelDir);
  let disposed = false;
  return {
    meta,
    async predict(batch) {
      if (disposed) throw new Error("classifier is disposed");
      return predictProbabilities(model, batch, meta.inputSize, meta.normalization);
    },
    dispose() {
      if (!disposed) model.dispose();
      disposed = true;
    },
  };
}
