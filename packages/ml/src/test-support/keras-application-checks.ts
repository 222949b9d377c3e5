import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { KERAS_APPLICATIONS } from "../architectures/keras-applications.js";

/** Builds the 1000-class model at Keras' default size and returns its parameter count. */
function countKerasParameters(name: string): number {
  const { build, defaultInputSize } = KERAS_APPLICATIONS[name]!;
  const model = build({ inputSize: defaultInputSize, numClasses: 1000 });
  const count = model.countParams();
  model.dispose();
  return count;
}

/**
 * One SGD step on a batch of 2 at the smallest input the architecture accepts, 4 classes: the
 * loss must be finite and the classifier weights and the first layer's kernel must move.
 */
function expectOneTrainingStep(name: string): void {
  const { build, minInputSize } = KERAS_APPLICATIONS[name]!;
  const model = build({ inputSize: minInputSize, numClasses: 4 });
  const watched = [model.trainableWeights[0]!, model.trainableWeights.at(-2)!];
  const before = watched.map((w) => w.read().dataSync().slice());
  const optimizer = tf.train.sgd(0.05);
  const x = tf.randomUniform([2, minInputSize, minInputSize, 3], 0, 1, "float32", 7);
  const y = tf.oneHot(tf.tensor1d([0, 3], "int32"), 4);
  const loss = optimizer.minimize(
    () => tf.mean<tf.Scalar>(tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor)),
    true,
  )!;
  expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
  watched.forEach((w, i) =>
    expect(
      w
        .read()
        .dataSync()
        .some((v, j) => v !== before[i]![j]),
      w.name,
    ).toBe(true),
  );
  tf.dispose([x, y, loss]);
  optimizer.dispose();
  model.dispose();
}

/**
 * The checks every Keras Application gets: its parameter count with the 1000-class ImageNet top and
 * one training step. The architectures are spread over several test files so vitest runs them in
 * parallel; building the large ones (VGG's 124M dense weights) is slow on a loaded machine.
 */
export function describeKerasApplications(names: readonly string[]): void {
  describe.each(names)("%s", (name) => {
    beforeAll(async () => {
      expect(await selectBackend("wasm", () => {})).toBe("wasm");
    });

    it("has the Keras Applications parameter count with the 1000-class ImageNet top", { timeout: 300_000 }, () => {
      expect(countKerasParameters(name)).toBe(KERAS_APPLICATIONS[name]!.kerasParameters);
    });

    it("trains one step on a batch of two at its smallest input", { timeout: 300_000 }, () => {
      expectOneTrainingStep(name);
    });
  });
}
