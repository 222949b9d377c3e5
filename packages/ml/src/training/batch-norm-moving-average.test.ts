import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildLeukoCnn } from "../architectures/leuko-cnn.js";
import { selectBackend } from "../backend.js";

/**
 * Rules out a wasm/kernel bug as the cause of bad inference-mode BN statistics: after every
 * training step each moving mean must equal 0.99·previous + 0.01·(mean of that step's BN input).
 */
describe("BatchNormalization moving averages on wasm", () => {
  beforeAll(async () => {
    expect(await selectBackend("wasm", () => {})).toBe("wasm");
  });

  it("follow the batch means exactly through training steps", () => {
    const model = buildLeukoCnn({ inputSize: 16, numClasses: 4, stageFilters: [8, 16], seed: 5 });
    const batchNorms = model.layers.filter((layer) => layer.getClassName() === "BatchNormalization");
    const probe = tf.model({
      inputs: model.inputs,
      outputs: batchNorms.map((layer) => layer.input as tf.SymbolicTensor),
    });
    const optimizer = tf.train.adam(1e-2);
    const movingMeans = (): Float32Array[] =>
      batchNorms.map((layer) => layer.getWeights()[2]!.dataSync() as Float32Array);
    for (let step = 0; step < 3; step++) {
      const x = tf.randomUniform([8, 16, 16, 3], 0, 1, "float32", step);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], "int32"), 4);
      const before = movingMeans();
      const saved = model.getWeights().map((w) => w.clone());
      const batchMeans = tf.tidy(() =>
        (probe.apply(x, { training: true }) as tf.Tensor[]).map((t) => tf.moments(t, [0, 1, 2]).mean.dataSync()),
      );
      model.setWeights(saved); // the probe's training-mode pass also updated the moving averages
      tf.dispose(saved);
      tf.dispose(
        optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor),
          true,
        ) ?? [],
      );
      movingMeans().forEach((after, layer) =>
        after.forEach((value, c) => {
          expect(value).toBeCloseTo(0.99 * before[layer]![c]! + 0.01 * batchMeans[layer]![c]!, 5);
        }),
      );
      tf.dispose([x, y]);
    }
    optimizer.dispose();
    model.dispose();
  });
});
