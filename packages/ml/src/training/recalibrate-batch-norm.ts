import * as tf from "@tensorflow/tfjs";
import { imagesToInputTensor } from "../model/input-tensor.js";
import type { InputNormalization } from "@leukoflow/contracts";

/**
 * Replaces every BatchNormalization layer's moving mean and variance by the exact population
 * statistics of its input over `images`, layer by layer in network order so that each layer sees
 * the already-recalibrated layers before it ("precise BN"). Moving averages lag the weights by
 * ~1/(1−momentum) steps; after recalibration inference mode normalises with statistics of the
 * final weights.
 */
export async function recalibrateBatchNorm(
  model: tf.LayersModel,
  images: readonly Uint8Array[],
  inputSize: number,
  normalization: InputNormalization,
  batchSize = 64,
): Promise<void> {
  const batchNorms = model.layers.filter((layer) => layer.getClassName() === "BatchNormalization");
  for (const layer of batchNorms) {
    const probe = tf.model({ inputs: model.inputs, outputs: layer.input });
    const channels = layer.getWeights()[0]!.shape[0];
    const sum = new Float64Array(channels);
    const sumOfSquares = new Float64Array(channels);
    let count = 0;
    for (let start = 0; start < images.length; start += batchSize) {
      const [batchSum, batchSquares, n] = tf.tidy(() => {
        const activations = probe.predict(
          imagesToInputTensor(images.slice(start, start + batchSize), inputSize, normalization),
        ) as tf.Tensor;
        const flat = activations.reshape([-1, channels]);
        return [flat.sum(0), flat.square().sum(0), flat.shape[0]] as const;
      });
      const [s, q] = await Promise.all([batchSum.data(), batchSquares.data()]);
      tf.dispose([batchSum, batchSquares]);
      for (let c = 0; c < channels; c++) {
        sum[c]! += s[c]!;
        sumOfSquares[c]! += q[c]!;
      }
      count += n;
    }
    const mean = Float32Array.from(sum, (s) => s / count);
    const variance = Float32Array.from(sumOfSquares, (q, c) => Math.max(0, q / count - mean[c]! ** 2));
    const [gamma, beta] = layer.getWeights();
    const statistics = [tf.tensor1d(mean), tf.tensor1d(variance)];
    layer.setWeights([gamma!, beta!, ...statistics]);
    tf.dispose(statistics);
  }
}
