import * as tf from "@tensorflow/tfjs";
import { findDenseHead } from "./dense-head.js";
import { nhwcTensor, type OnnxForward, type PlainTensor } from "./onnx-forward.js";
import type { ModelMetadata, OnnxModelSpec } from "@leukoflow/contracts";

/** Grad-CAM without gradients, for a head where the logits are a Dense of the last conv map's global average. */
export interface CamHead {
  /** [n,1,1,k]: the class's Dense kernel column / (h·w), which is what Grad-CAM's spatial mean of the gradient is for such a head. */
  channelWeights(activation: tf.Tensor4D, classIndices: readonly number[]): tf.Tensor4D;
}

const TOLERANCE = 1e-4;

/** Deterministic noise images: a probe on which a blank image's all-zero activations could not hide a mismatch. */
function probeImages(inputSize: number, count: number): Uint8Array[] {
  let state = 12345;
  return Array.from({ length: count }, () =>
    Uint8Array.from({ length: inputSize * inputSize * 3 }, () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state >>> 23;
    }),
  );
}

const maxAbsDifference = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/**
 * The head's CAM weights when the graph's last conv output, features and final Dense say so and a
 * probe batch confirms features = spatial mean of the last conv map and scores = Dense(features);
 * otherwise the reason it does not hold.
 */
export async function camHeadOf(
  modelBytes: Uint8Array,
  spec: OnnxModelSpec,
  meta: Pick<ModelMetadata, "inputSize">,
  input: (images: readonly Uint8Array[]) => PlainTensor,
  forward: OnnxForward,
): Promise<CamHead | string> {
  if (spec.lastConv === null || spec.features === null) return "the ONNX model names no last conv or features output";
  const scoreOutput = spec.logits ?? spec.probabilities!;
  const dense = findDenseHead(modelBytes, scoreOutput);
  if (!dense) return `${scoreOutput} is not made by a Dense (Gemm or MatMul) on constant weights`;
  const outputs = await forward(input(probeImages(meta.inputSize, 2)), [scoreOutput, spec.lastConv, spec.features]);
  const plain = (name: string): tf.Tensor => tf.tensor(outputs[name]!.data, outputs[name]!.dims as number[]);
  const [scores, features] = [plain(scoreOutput), plain(spec.features)];
  const lastConv =
    outputs[spec.lastConv]!.dims.length === 4 ? nhwcTensor(outputs[spec.lastConv]!, spec.layout) : plain(spec.lastConv);
  try {
    if (lastConv.rank !== 4 || lastConv.shape[3] !== dense.features || features.shape[1] !== dense.features) {
      return `the last conv map ${lastConv.shape.join("×")} and features ${features.shape.join("×")} do not match the Dense's ${dense.features} inputs`;
    }
    const kernel = tf.tensor2d(dense.kernel, [dense.features, dense.classes]);
    const bias = tf.tensor1d(dense.bias);
    try {
      const poolGap = tf.tidy(
        () => maxAbsDifference(tf.mean(lastConv, [1, 2]), features) / (1 + tf.max(tf.abs(features)).dataSync()[0]!),
      );
      if (poolGap > TOLERANCE)
        return `the features are not the global average of the last conv map (largest difference ${poolGap.toPrecision(3)})`;
      const denseGap = tf.tidy(() => {
        const fromFeatures = tf.softmax(tf.add(tf.matMul(features as tf.Tensor2D, kernel), bias));
        return maxAbsDifference(fromFeatures, spec.logits !== undefined ? tf.softmax(scores) : scores);
      });
      if (denseGap > TOLERANCE)
        return `the scores are not the Dense of the features (largest probability difference ${denseGap.toPrecision(3)})`;
    } finally {
      kernel.dispose();
      bias.dispose();
    }
  } finally {
    [scores, lastConv, features].forEach((tensor) => tensor.dispose());
  }
  return {
    channelWeights(activation, classIndices) {
      const [, height, width, channels] = activation.shape;
      const weights = new Float32Array(classIndices.length * channels);
      classIndices.forEach((c, i) => {
        for (let k = 0; k < channels; k++)
          weights[i * channels + k] = dense.kernel[k * dense.classes + c]! / (height * width);
      });
      return tf.tensor4d(weights, [classIndices.length, 1, 1, channels]);
    },
  };
}
