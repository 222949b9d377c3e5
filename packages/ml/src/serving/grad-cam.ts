import * as tf from "@tensorflow/tfjs";
import type { ClassifierHead } from "./classifier-head.js";

/**
 * Grad-CAM (Selvaraju et al. 2017) of one class per image: ReLU of the conv activation weighted
 * by the spatial mean of d logit / d activation, scaled to [0, 1] per image and resized to the
 * input. Only the head is differentiated, so it costs a small fraction of a forward pass.
 */
export function gradCamMaps(
  head: ClassifierHead,
  activation: tf.Tensor4D,
  classIndices: readonly number[],
  inputSize: number,
): tf.Tensor3D {
  return tf.tidy(() => {
    const select = tf.oneHot(tf.tensor1d(classIndices as number[], "int32"), head.numClasses);
    const classLogitSum = (a: tf.Tensor): tf.Scalar => tf.sum(tf.mul(head.logits(head.pool(a as tf.Tensor4D)), select));
    const gradients = tf.grad(classLogitSum)(activation);
    return classActivationMaps(activation, tf.mean<tf.Tensor4D>(gradients, [1, 2], true), inputSize);
  });
}

/**
 * The map Grad-CAM draws from its channel weights [n,1,1,k]: ReLU of the weighted sum of the
 * activation [n,h,w,k]'s channels, scaled to [0, 1] per image, resized bilinearly to the input.
 */
export function classActivationMaps(
  activation: tf.Tensor4D,
  channelWeights: tf.Tensor4D,
  inputSize: number,
): tf.Tensor3D {
  return tf.tidy(() => {
    const cam = tf.relu(tf.sum<tf.Tensor4D>(tf.mul(channelWeights, activation), 3, true));
    const peak = tf.maximum(tf.max(cam, [1, 2, 3], true), 1e-12);
    return tf.squeeze<tf.Tensor3D>(
      tf.image.resizeBilinear(tf.div<tf.Tensor4D>(cam, peak), [inputSize, inputSize]),
      [3],
    );
  });
}
