import { access, writeFile } from "node:fs/promises";
import path from "node:path";
import { ensureBackend } from "../../backend.js";
import { readModelMetadata, writeModelMetadata } from "../../model/model-metadata.js";
import { loadModelFiles, MODEL_FILE } from "../../model/model-files.js";
import { exportOnnx } from "./export-onnx.js";
import type { ModelMetadata, OnnxModelSpec } from "@leukoflow/contracts";

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

const oodLayers = (meta: ModelMetadata): string[] => (meta.ood?.layers ?? []).map((layer) => layer.name);

/**
 * Writes model.onnx beside a model folder's tfjs files, with the model's OOD layers as outputs,
 * and records the graph's outputs as leukoflow-model.json's `onnx` block.
 */
export async function exportModelOnnx(modelDir: string): Promise<OnnxModelSpec> {
  await ensureBackend();
  const meta = await readModelMetadata(modelDir);
  const model = await loadModelFiles(modelDir);
  try {
    const { bytes, spec } = exportOnnx(model, { layerOutputs: oodLayers(meta) });
    await writeFile(path.join(modelDir, spec.file), bytes);
    await writeModelMetadata(modelDir, { ...meta, onnx: spec });
    return spec;
  } finally {
    model.dispose();
  }
}

/**
 * Whether a model folder's ONNX graph is missing or out of date: no `onnx` block, no file, or an
 * OOD layer of the metadata (a later calibrate-ood may change them) without its output. A model
 * without tfjs files (imported from ONNX) has nothing to export from.
 */
export async function needsOnnxExport(modelDir: string): Promise<boolean> {
  if (!(await exists(path.join(modelDir, MODEL_FILE)))) return false;
  const meta = await readModelMetadata(modelDir);
  const spec = meta.onnx ?? null;
  if (!spec || !(await exists(path.join(modelDir, spec.file)))) return true;
  return oodLayers(meta).some((layer) => !(layer in spec.layerOutputs));
}

/** Exports the model's ONNX graph unless it has an up-to-date one; returns whether it wrote one. */
export async function ensureModelOnnx(modelDir: string): Promise<boolean> {
  if (!(await needsOnnxExport(modelDir))) return false;
  await exportModelOnnx(modelDir);
  return true;
}
