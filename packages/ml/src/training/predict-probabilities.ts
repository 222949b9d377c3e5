import * as tf from "@tensorflow/tfjs";
import { imagesToInputTensor } from "../model/input-tensor.js";
import type { InputNormalization } from "@leukoflow/contracts";

/** Inference-mode softmax rows for many images, in batches. */
export async function predictProbabilities(
  model: tf.LayersModel,
  images: readonly Uint8Array[],
  inputSize: number,
  normalization: InputNormalization,
  batchSize = 64,
): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const output = tf.tidy(
      () =>
        model.predict(
          imagesToInputTensor(images.slice(start, start + batchSize), inputSize, normalization),
        ) as tf.Tensor2D,
    );
    const [count, classes] = output.shape;
    const data = (await output.data()) as Float32Array;
    output.dispose();
    for (let i = 0; i < count; i++) rows.push(data.slice(i * classes, (i + 1) * classes));
  }
  return rows;
}
