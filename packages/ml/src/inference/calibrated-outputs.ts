import * as tf from "@tensorflow/tfjs";

/** softmax(logits / T): temperature scaling (Guo et al. 2017); T > 1 softens over-confident outputs. */
export function softmaxWithTemperature(logits: tf.Tensor2D, temperature: number): tf.Tensor2D {
  return tf.softmax(temperature === 1 ? logits : tf.div(logits, temperature)) as tf.Tensor2D;
}

/**
 * Energy score E(x) = −logsumexp(logits) (Liu et al. 2020), per row. In-distribution images have
 * lower energy; it separates them better than the maximum softmax probability.
 */
export function energyScore(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.neg(tf.logSumExp(logits, 1)) as tf.Tensor1D;
}
