import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { KERAS_APPLICATIONS } from "../architectures/keras-applications.js";

/** Builds the 1000-class model at Keras' default size and returns its parameter count. */
export function countKerasParameters(name: string): number {
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
export function expectOneTrainingStep(name: string): void {
  const { build, minInputSize } = KERAS_APPLICATIONS[name]!;
  const model = build({ inputSize: minInputSize, numClasses: 4 });
  const watched = [model.trainableWeights[0]!, model.trainableWeights.at(-2)!];
  const before = watched.map((w) => w.read().dataSync().slice());
  const optimizer = tf.train.sgd(0.05);
  const x = tf.randomUniform([2, minInputSize, minInputSize, 3], 0, 1, "float32", 7);
  const y = tf.oneHot(tf.tensor1d([0, 3], "int32"), 4);
  const loss = optimizer.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, true)!;
  expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
  watched.forEach((w, i) => expect(w.read().dataSync().some((v, j) => v !== before[i]![j]), w.name).toBe(true));
  tf.dispose([x, y, loss]);
  optimizer.dispose();
  model.dispose();
}
