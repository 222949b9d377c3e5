import * as tf from "@tensorflow/tfjs";

/**
 * Same maths as tfjs-core's FusedBatchNorm gradient, but it broadcasts per-channel factors instead
 * of tiling them to the activation's full shape (Tile was the single most expensive wasm kernel of a
 * training step) and shares the two reductions Σdy and Σ(x−μ)·dy between the five gradients.
 */
export const fusedBatchNormGradConfig: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ["x", "mean", "variance", "scale"],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
    const [x, mean, variance, savedScale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const gradient = dy as tf.Tensor;
    const scale = savedScale ?? tf.scalar(1);
    const axes = tf.broadcast_util.getReductionAxes(mean.shape, x.shape);
    const reduceToMean = (t: tf.Tensor): tf.Tensor => tf.reshape(tf.sum(t, axes), mean.shape);

    const inverseStd = tf.rsqrt(tf.add(variance, varianceEpsilon));
    const sumDy = reduceToMean(gradient);
    const sumCentredDy = reduceToMean(tf.mul(tf.sub(x, mean), gradient));
    return {
      x: () => tf.mul(gradient, tf.mul(inverseStd, scale)),
      mean: () => tf.reshape(tf.neg(tf.mul(tf.mul(inverseStd, scale), sumDy)), mean.shape),
      variance: () => tf.reshape(tf.mul(tf.mul(tf.pow(inverseStd, 3), tf.mul(scale, -0.5)), sumCentredDy), mean.shape),
      scale: () => tf.reshape(tf.mul(inverseStd, sumCentredDy), mean.shape),
      offset: () => sumDy,
    };
  },
};
