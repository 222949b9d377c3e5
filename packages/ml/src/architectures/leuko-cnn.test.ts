import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { buildLeukoCnn } from "./leuko-cnn.js";

describe("buildLeukoCnn", () => {
  beforeAll(async () => {
    expect(await selectBackend("wasm", () => {})).toBe("wasm");
  });

  it("has 300k parameters and a softmax over the classes", () => {
    const model = buildLeukoCnn({ inputSize: 32, numClasses: 4 });
    expect(model.countParams()).toBe(295_476);
    expect(model.outputs[0]!.shape).toEqual([null, 4]);
    model.dispose();
  });

  it("takes a training step on wasm: finite loss, every trainable weight changes", () => {
    const model = buildLeukoCnn({ inputSize: 32, numClasses: 4, seed: 3 });
    const before = model.trainableWeights.map((w) => w.read().dataSync().slice());
    const optimizer = tf.train.adam(1e-2);
    const x = tf.randomUniform([4, 32, 32, 3], 0, 1, "float32", 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], "int32"), 4);
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor),
      true,
    )!;
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    model.trainableWeights.forEach((w, i) => {
      const after = w.read().dataSync();
      expect(
        after.some((value, j) => value !== before[i]![j]),
        w.name,
      ).toBe(true);
    });
    tf.dispose([x, y, loss]);
    optimizer.dispose();
    model.dispose();
  });
});
