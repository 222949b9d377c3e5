import * as tf from "@tensorflow/tfjs";
import type { ImageNetStyleOptions } from "./resnet50.js";

type Tensor = tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: Tensor | Tensor[]): Tensor => layer.apply(x) as Tensor;

/** [output filters, stride, expansion] of the 17 inverted-residual blocks (alpha = 1). */
const BLOCKS: [number, number, number][] = [
  [16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6], [64, 1, 6], [64, 1, 6],
  [64, 1, 6], [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6],
];

function bnRelu6(x: Tensor, name: string, relu = true): Tensor {
  const y = apply(tf.layers.batchNormalization({ epsilon: 1e-3, momentum: 0.999, name: `${name}_BN` }), x);
  return relu ? apply(tf.layers.reLU({ maxValue: 6, name: `${name}_relu` }), y) : y;
}

function invertedResidual(x: Tensor, [filters, strides, expansion]: [number, number, number], id: number): Tensor {
  const inChannels = x.shape[3]!;
  const prefix = id === 0 ? "expanded_conv" : `block_${id}`;
  let y = x;
  if (id > 0) y = bnRelu6(apply(tf.layers.conv2d({ filters: expansion * inChannels, kernelSize: 1, useBias: false, name: `${prefix}_expand` }), y), `${prefix}_expand`);
  // Keras pads stride-2 depthwise convs explicitly (bottom/right for even sizes) and uses 'valid'.
  if (strides === 2) y = apply(tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: `${prefix}_pad` }), y);
  y = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, strides, padding: strides === 2 ? "valid" : "same", useBias: false, name: `${prefix}_depthwise` }), y);
  y = bnRelu6(y, `${prefix}_depthwise`);
  y = bnRelu6(apply(tf.layers.conv2d({ filters, kernelSize: 1, useBias: false, name: `${prefix}_project` }), y), `${prefix}_project`, false);
  return inChannels === filters && strides === 1 ? apply(tf.layers.add({ name: `${prefix}_add` }), [x, y]) : y;
}

/** MobileNetV2 (alpha 1.0) laid out as keras.applications.MobileNetV2. */
export function buildMobileNetV2({ inputSize, numClasses }: ImageNetStyleOptions): tf.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: "input_1" });
  let x = bnRelu6(apply(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: "same", useBias: false, name: "Conv1" }), input), "bn_Conv1");
  BLOCKS.forEach((block, id) => (x = invertedResidual(x, block, id)));
  x = bnRelu6(apply(tf.layers.conv2d({ filters: 1280, kernelSize: 1, useBias: false, name: "Conv_1" }), x), "Conv_1");
  x = apply(tf.layers.globalAveragePooling2d({ name: "global_average_pooling2d" }), x);
  const output = apply(tf.layers.dense({ units: numClasses, activation: "softmax", name: "predictions" }), x);
  return tf.model({ inputs: input, outputs: output, name: "mobilenetv2_1.00" });
}
