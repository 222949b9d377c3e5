import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { fusedBatchNormGradConfig } from "./fused-batch-norm-gradient.js";

/** Gradients of a batch-statistics BN (as BatchNormalization trains) w.r.t. x, gamma and beta. */
function batchNormGradients(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, 5, 4, 6], 0, 2, "float32", 7);
    const gamma = tf.randomNormal([6], 1, 0.3, "float32", 8);
    const beta = tf.randomNormal([6], 0, 0.3, "float32", 9);
    const weights = tf.randomNormal([3, 5, 4, 6], 0, 1, "float32", 10);
    const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.batchNorm(a, mean, variance, b, g, 1e-3).mul(weights).sum();
    };
    return tf
      .grads(loss)([x, gamma, beta])
      .map((g) => g.dataSync() as Float32Array);
  });
}

describe("fused batch-norm gradient", () => {
  it("matches tfjs-core's own gradient", async () => {
    await tf.setBackend("cpu");
    const original = tf.getGradient(tf.FusedBatchNorm);
    if (original === undefined) throw new Error("tfjs-core registers a FusedBatchNorm gradient");
    const expected = batchNormGradients();
    tf.registerGradient(fusedBatchNormGradConfig);
    const actual = batchNormGradients();
    tf.registerGradient(original);
    expected.forEach((values, i) => {
      values.forEach((value, j) => expect(actual[i]![j]).toBeCloseTo(value, 4));
    });
  });
});
