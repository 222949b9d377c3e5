import * as tf from "@tensorflow/tfjs";
import type { InputNormalization } from "../model-metadata.js";

/** Stacks RGB HWC byte images into a normalised float batch [n, size, size, 3]. */
export function imagesToInputTensor(images: readonly Uint8Array[], inputSize: number, normalization: InputNormalization): tf.Tensor4D {
  const pixels = inputSize * inputSize * 3;
  const data = new Float32Array(images.length * pixels);
  images.forEach((image, n) => {
    if (image.length !== pixels) throw new Error(`image ${n} has ${image.length} bytes, expected ${inputSize}×${inputSize}×3 = ${pixels}`);
    const base = n * pixels;
    for (let i = 0; i < pixels; i++) data[base + i] = image[i]! * normalization.scale + normalization.offset;
  });
  return tf.tensor4d(data, [images.length, inputSize, inputSize, 3]);
}
