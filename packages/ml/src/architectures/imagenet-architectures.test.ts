import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { buildMobileNetV2 } from "./mobilenet-v2.js";
import { buildResNet50 } from "./resnet50.js";

/** Parameter counts of keras.applications models at 224 px with the 1000-class top. */
const KERAS_PARAMS = { resnet50: 25_636_712, mobilenetV2: 3_538_984 };

describe("ImageNet architectures match Keras Applications", () => {
  beforeAll(async () => {
    expect(await selectBackend("wasm", () => {})).toBe("wasm");
  });

  it.each([
    ["ResNet50", buildResNet50, KERAS_PARAMS.resnet50],
    ["MobileNetV2", buildMobileNetV2, KERAS_PARAMS.mobilenetV2],
  ] as const)("%s has the Keras parameter count and runs a forward pass", (_, build, params) => {
    const model = build({ inputSize: 224, numClasses: 1000 });
    expect(model.countParams()).toBe(params);
    model.dispose();
    const small = build({ inputSize: 64, numClasses: 4 });
    const output = tf.tidy(() => (small.predict(tf.zeros([1, 64, 64, 3])) as tf.Tensor).arraySync() as number[][]);
    expect(output[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    small.dispose();
  });
});
