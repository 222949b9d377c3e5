import { readFile } from "node:fs/promises";
import { readModelMetadata } from "../../model/model-metadata.js";
import { normalizedPixels } from "../../model/input-tensor.js";
import { onnxForward, onnxModelFile } from "./onnx-forward.js";
import { MissingOnnxModelError } from "./onnx-serving-classifier.js";
import { createOnnxSession, type OnnxSessionOptions } from "./onnx-session.js";
import { featureRowsOf, withPooledOutputs } from "./pooled-outputs.js";

const BATCH = 64;

/**
 * For each image set, per ONNX output, one pooled feature row per image (pooledFeatureRows, as
 * serving pools them): what calibrate-ood fits its Gaussians on when the model is served by ONNX Runtime.
 */
export async function onnxFeatureRows(
  modelDir: string,
  outputs: readonly string[],
  imageSets: readonly (readonly Uint8Array[])[],
  options: OnnxSessionOptions = {},
): Promise<Float32Array[][][]> {
  const meta = await readModelMetadata(modelDir);
  const spec = meta.onnx ?? null;
  const file = onnxModelFile(modelDir, spec);
  if (!spec || !file) throw new MissingOnnxModelError(`${meta.name}@${meta.version} has no ONNX model in ${modelDir}`);
  const label = `${meta.name}@${meta.version} (${file})`;
  const graph = withPooledOutputs(await readFile(file), outputs, spec.layout, label);
  const { session } = await createOnnxSession(graph.bytes, label, options);
  const forward = onnxForward(session, spec);
  try {
    const sets: Float32Array[][][] = [];
    for (const images of imageSets) {
      const rows: Float32Array[][] = outputs.map(() => []);
      for (let start = 0; start < images.length; start += BATCH) {
        const batch = images.slice(start, start + BATCH);
        const pixels = {
          data: normalizedPixels(batch, meta.inputSize, meta.normalization),
          dims: [batch.length, meta.inputSize, meta.inputSize, 3],
        };
        const results = await forward(
          pixels,
          outputs.map((name) => graph.sources.get(name)!.output),
        );
        outputs.forEach((name, o) => rows[o]!.push(...featureRowsOf(results, graph, name, batch.length, spec.layout)));
      }
      sets.push(rows);
    }
    return sets;
  } finally {
    await session.release();
  }
}
