import * as tf from "@tensorflow/tfjs";
import { imagesToInputTensor } from "../model/input-tensor.js";
import { layerOutputs, pooledLayerFeatures } from "./layer-features.js";
import type { InputNormalization } from "@leukoflow/contracts";

const BATCH = 64;

/** Per layer, one pooled feature row per image (see pooledLayerFeatures), computed in batches. */
export async function layerFeatureRows(
  model: tf.LayersModel,
  layerNames: readonly string[],
  images: readonly Uint8Array[],
  inputSize: number,
  normalization: InputNormalization,
): Promise<Float32Array[][]> {
  const features = tf.model({ inputs: model.inputs, outputs: layerOutputs(model, layerNames) });
  const rows: Float32Array[][] = layerNames.map(() => []);
  for (let start = 0; start < images.length; start += BATCH) {
    const pooled = tf.tidy(() => {
      const outputs = features.predict(
        imagesToInputTensor(images.slice(start, start + BATCH), inputSize, normalization),
      );
      return (Array.isArray(outputs) ? outputs : [outputs]).map(pooledLayerFeatures);
    });
    for (const [l, tensor] of pooled.entries()) {
      const [count, width] = tensor.shape;
      const data = (await tensor.data()) as Float32Array;
      tensor.dispose();
      for (let i = 0; i < count; i++) rows[l]!.push(data.slice(i * width, (i + 1) * width));
    }
  }
  return rows;
}
