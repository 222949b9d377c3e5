import { onnxModelFile } from "./onnx/onnx-forward.js";
import { loadOnnxServingClassifier } from "./onnx/onnx-serving-classifier.js";
import type { OnnxSessionOptions } from "./onnx/onnx-session.js";
import { readModelMetadata } from "../model/model-metadata.js";
import { loadServingClassifier, type InferenceEngine, type ServingClassifier } from "./serving-classifier.js";

export interface ServingEngineOptions extends OnnxSessionOptions {
  /** Default onnx; training stays on tfjs whatever this says. */
  engine?: InferenceEngine;
}

const announcedFallbacks = new Set<string>();
let selected: ServingEngineOptions = {};

/**
 * The engine options every later loadServingModel without options of its own uses: a process
 * (worker, CLI command, benchmark) sets them once from its settings, as selectBackend does for tfjs.
 */
export function selectServingEngine(options: ServingEngineOptions): void {
  selected = options;
}

/**
 * The one loader of every forward pass outside training (worker, evaluate, calibrate, benchmarks):
 * ONNX Runtime by default; tfjs when asked, or for a model published without model.onnx (said once per model).
 */
export async function loadServingModel(
  modelDir: string,
  options: ServingEngineOptions = selected,
): Promise<ServingClassifier> {
  const { engine = "onnx", log = (message: string) => process.stderr.write(`${message}\n`) } = options;
  if (engine === "tfjs") return loadServingClassifier(modelDir);
  const meta = await readModelMetadata(modelDir);
  if (onnxModelFile(modelDir, meta.onnx ?? null) === null) {
    const label = `${meta.name}@${meta.version}`;
    if (!announcedFallbacks.has(label))
      log(`${label} has no model.onnx (published before ONNX serving): served by tfjs`);
    announcedFallbacks.add(label);
    return loadServingClassifier(modelDir);
  }
  return loadOnnxServingClassifier(modelDir, { ...options, log });
}
