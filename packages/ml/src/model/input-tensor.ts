import * as tf from "@tensorflow/tfjs";
import { channelAffine } from "./model-metadata.js";
import type { InputNormalization } from "@leukoflow/contracts";

/** RGB HWC byte images → one normalised float32 array, NHWC [n, size, size, 3]; every engine's input starts here. */
export function normalizedPixels(
  images: readonly Uint8Array[],
  inputSize: number,
  normalization: InputNormalization,
): Float32Array {
  const pixels = inputSize * inputSize * 3;
  const { multiply, add } = channelAffine(normalization);
  const data = new Float32Array(images.length * pixels);
  images.forEach((image, n) => {
    if (image.length !== pixels)
      throw new Error(`image ${n} has ${image.length} bytes, expected ${inputSize}×${inputSize}×3 = ${pixels}`);
    const base = n * pixels;
    for (let i = 0; i < pixels; i++) data[base + i] = image[i]! * multiply[i % 3]! + add[i % 3]!;
  });
  return data;
}

/** Stacks RGB HWC byte images into a normalised float batch [n, size, size, 3]. */
export function imagesToInputTensor(
  images: readonly Uint8Array[],
  inputSize: number,
  normalization: InputNormalization,
): tf.Tensor4D {
  return tf.tensor4d(normalizedPixels(images, inputSize, normalization), [images.length, inputSize, inputSize, 3]);
}
