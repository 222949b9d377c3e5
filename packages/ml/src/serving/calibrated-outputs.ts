import * as tf from "@tensorflow/tfjs";

/** softmax(logits / T): temperature scaling (Guo et al. 2017); T > 1 softens over-confident outputs. */
export function softmaxWithTemperature(logits: tf.Tensor2D, temperature: number): tf.Tensor2D {
  return tf.softmax(temperature === 1 ? logits : tf.div(logits, temperature)) as tf.Tensor2D;
}
