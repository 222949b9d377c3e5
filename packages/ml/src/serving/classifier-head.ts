import * as tf from "@tensorflow/tfjs";

/** A classifier split where Grad-CAM and temperature scaling need it: last conv activation, pooled features, logits. */
export interface ClassifierHead {
  /** Input → [last conv activation [n,h,w,k], penultimate features [n,f]]. Shares the classifier's weights. */
  body: tf.LayersModel;
  /** Penultimate features → logits (the final Dense without its softmax). */
  logits(features: tf.Tensor2D): tf.Tensor2D;
  /** Last conv activation → penultimate features, through the layers between them (pooling, dropout). */
  pool(activation: tf.Tensor4D): tf.Tensor2D;
  numClasses: number;
}

export class UnsupportedArchitectureError extends Error {
  override readonly name = "UnsupportedArchitectureError";
}

/**
 * Splits a classifier that ends in a softmax Dense fed by a chain of layers from its last
 * spatial (rank-4) layer — leuko-cnn, MobileNetV2 and ResNet-50 heads all do.
 */
export function splitClassifierHead(model: tf.LayersModel): ClassifierHead {
  const dense = model.layers.at(-1);
  const config = dense?.getConfig() as { activation?: string; units?: number } | undefined;
  if (!(dense instanceof tf.layers.Layer) || dense.getClassName() !== "Dense" || config?.activation !== "softmax") {
    throw new UnsupportedArchitectureError(`${model.name} does not end in a softmax Dense layer`);
  }
  const camIndex = model.layers.findLastIndex((layer) => (layer.outputShape as number[]).length === 4);
  if (camIndex < 0) throw new UnsupportedArchitectureError(`${model.name} has no spatial layer for Grad-CAM`);
  const between = model.layers.slice(camIndex + 1, -1);
  [...between, dense].forEach((layer, i) => {
    const inbound = layer.inboundNodes.flatMap((node) => node.inboundLayers);
    if (inbound.length !== 1 || inbound[0] !== model.layers[camIndex + i]) {
      throw new UnsupportedArchitectureError(`${layer.name} is not fed by the layer before it alone`);
    }
  });
  const [kernel, bias] = dense.getWeights() as [tf.Tensor2D, tf.Tensor1D?];
  const body = tf.model({
    inputs: model.inputs,
    outputs: [model.layers[camIndex]!.output as tf.SymbolicTensor, dense.input as tf.SymbolicTensor],
  });
  return {
    body,
    numClasses: config.units ?? kernel.shape[1],
    logits: (features) => (bias ? tf.add(tf.matMul(features, kernel), bias) : tf.matMul(features, kernel)),
    pool: (activation) =>
      between.reduce<tf.Tensor>(
        (x, layer) => layer.apply(x, { training: false }) as tf.Tensor,
        activation,
      ) as tf.Tensor2D,
  };
}
