import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { stackTtaVariantPixels, stackTtaVariants, TTA_MODES } from "./test-time-augmentation.js";

describe("test-time augmentation on plain arrays", () => {
  beforeAll(async () => {
    await selectBackend("wasm", () => {});
  });

  it.each(TTA_MODES)("%s: stacks the same variants in the same order as the tfjs ops", (mode) => {
    const [n, size, channels] = [3, 5, 3];
    const pixels = Float32Array.from({ length: n * size * size * channels }, (_, i) => i);
    const expected = tf.tidy(() => stackTtaVariants(tf.tensor4d(pixels, [n, size, size, channels]), mode).dataSync());
    expect(Array.from(stackTtaVariantPixels(pixels, n, size, channels, mode))).toEqual(Array.from(expected));
  });
});
