import * as tf from "@tensorflow/tfjs";

/** Options every ImageNet-style architecture takes; with inputSize 224 and 1000 classes it is the Keras model. */
export interface ImageNetStyleOptions {
  inputSize: number;
  numClasses: number;
}

export type Tensor = tf.SymbolicTensor;
export type Padding = "same" | "valid";
export type Activation = "relu" | "relu6" | "swish" | "sigmoid" | null;

export const apply = (layer: tf.layers.Layer, x: Tensor | Tensor[]): Tensor => layer.apply(x) as Tensor;

export function imageInput(inputSize: number): Tensor {
  return tf.input({ shape: [inputSize, inputSize, 3], name: "input_1" });
}

export function activation(x: Tensor, kind: Activation, name?: string): Tensor {
  if (kind === null) return x;
  if (kind === "relu6") return apply(tf.layers.reLU({ maxValue: 6, name }), x);
  return apply(tf.layers.activation({ activation: kind, name }), x);
}

/**
 * BatchNormalization; with scale false (no gamma, as Keras' Inception models) the layer gets a
 * constant gamma of ones after building, because tfjs 4.22 reads gamma unconditionally in
 * training mode. The constant is no weight, so parameter counts stay Keras'.
 */
export function batchNormalization(args: {
  scale?: boolean;
  epsilon?: number;
  momentum?: number;
  name?: string;
}): tf.layers.Layer {
  const layer = tf.layers.batchNormalization(args);
  if (args.scale !== false) return layer;
  const build = layer.build.bind(layer);
  layer.build = (inputShape) => {
    build(inputShape);
    const channels = (inputShape as tf.Shape).at(-1)!;
    (layer as unknown as { gamma: { read: () => tf.Tensor } }).gamma = { read: () => tf.ones([channels]) };
  };
  return layer;
}

export interface ConvBnOptions {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number;
  padding?: Padding;
  /** Keras' Inception models drop BN's gamma (scale=False): a ReLU follows, so it is redundant. */
  bnScale?: boolean;
  epsilon?: number;
  momentum?: number;
  activation?: Activation;
  /** Layer names: `${name}` for the conv, `${name}_bn` and `${name}_act` unless given; none = tfjs' unique names. */
  name?: string;
  bnName?: string;
  activationName?: string;
}

/** Conv without bias (BN's beta replaces it) → BatchNormalization → optional activation. */
export function convBn(x: Tensor, o: ConvBnOptions): Tensor {
  const conv = apply(
    tf.layers.conv2d({
      filters: o.filters,
      kernelSize: o.kernelSize,
      strides: o.strides ?? 1,
      padding: o.padding ?? "same",
      useBias: false,
      name: o.name,
    }),
    x,
  );
  const bnName = o.bnName ?? (o.name && `${o.name}_bn`);
  const bn = apply(
    batchNormalization({
      scale: o.bnScale ?? true,
      epsilon: o.epsilon ?? 1e-3,
      momentum: o.momentum ?? 0.99,
      name: bnName,
    }),
    conv,
  );
  return activation(
    bn,
    o.activation === undefined ? "relu" : o.activation,
    o.activationName ?? (o.name && `${o.name}_act`),
  );
}

export function maxPool(x: Tensor, poolSize: number, strides: number, padding: Padding, name?: string): Tensor {
  return apply(tf.layers.maxPooling2d({ poolSize, strides, padding, name }), x);
}

export function averagePool(x: Tensor, poolSize: number, strides: number, padding: Padding, name?: string): Tensor {
  return apply(tf.layers.averagePooling2d({ poolSize, strides, padding, name }), x);
}

export function concatenate(xs: Tensor[], name?: string): Tensor {
  return apply(tf.layers.concatenate({ axis: -1, name }), xs);
}

/** Global average pooling, optional dropout, softmax dense "predictions": the Keras include_top head. */
export function poolingHead(x: Tensor, numClasses: number, dropout = 0, poolName = "avg_pool"): Tensor {
  let y = apply(tf.layers.globalAveragePooling2d({ name: poolName }), x);
  if (dropout > 0) y = apply(tf.layers.dropout({ rate: dropout, name: "top_dropout" }), y);
  return apply(tf.layers.dense({ units: numClasses, activation: "softmax", name: "predictions" }), y);
}
