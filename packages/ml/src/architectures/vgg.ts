import * as tf from "@tensorflow/tfjs";
import { apply, imageInput, maxPool, type ImageNetStyleOptions } from "./blocks.js";

const FILTERS = [64, 128, 256, 512, 512];

/** VGG as keras.applications builds it: 3×3 convs with bias, 2×2 max pooling, two 4096-unit dense layers. */
function buildVgg(
  convsPerBlock: readonly number[],
  name: string,
  { inputSize, numClasses }: ImageNetStyleOptions,
): tf.LayersModel {
  const input = imageInput(inputSize);
  let x = input;
  convsPerBlock.forEach((convs, b) => {
    for (let c = 0; c < convs; c++)
      x = apply(
        tf.layers.conv2d({
          filters: FILTERS[b]!,
          kernelSize: 3,
          padding: "same",
          activation: "relu",
          name: `block${b + 1}_conv${c + 1}`,
        }),
        x,
      );
    x = maxPool(x, 2, 2, "valid", `block${b + 1}_pool`);
  });
  x = apply(tf.layers.flatten({ name: "flatten" }), x);
  x = apply(tf.layers.dense({ units: 4096, activation: "relu", name: "fc1" }), x);
  x = apply(tf.layers.dense({ units: 4096, activation: "relu", name: "fc2" }), x);
  const output = apply(tf.layers.dense({ units: numClasses, activation: "softmax", name: "predictions" }), x);
  return tf.model({ inputs: input, outputs: output, name });
}

export const buildVgg16 = (options: ImageNetStyleOptions): tf.LayersModel =>
  buildVgg([2, 2, 3, 3, 3], "vgg16", options);
export const buildVgg19 = (options: ImageNetStyleOptions): tf.LayersModel =>
  buildVgg([2, 2, 4, 4, 4], "vgg19", options);
