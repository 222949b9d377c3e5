import * as tf from "@tensorflow/tfjs";

export interface ImageNetStyleOptions {
  inputSize: number;
  numClasses: number;
}

type Tensor = tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: Tensor | Tensor[]): Tensor => layer.apply(x) as Tensor;
const BN_EPSILON = 1.001e-5;

function convBn(x: Tensor, filters: number, kernelSize: number, strides: number, name: string, padding: "same" | "valid" = "valid"): Tensor {
  const conv = apply(tf.layers.conv2d({ filters, kernelSize, strides, padding, name: `${name}_conv` }), x);
  return apply(tf.layers.batchNormalization({ epsilon: BN_EPSILON, name: `${name}_bn` }), conv);
}

/** Bottleneck block with a projection shortcut on the first block of each stack (Keras block1). */
function bottleneck(x: Tensor, filters: number, strides: number, projectShortcut: boolean, name: string): Tensor {
  const shortcut = projectShortcut ? convBn(x, 4 * filters, 1, strides, `${name}_0`) : x;
  let y = apply(tf.layers.reLU({ name: `${name}_1_relu` }), convBn(x, filters, 1, strides, `${name}_1`));
  y = apply(tf.layers.reLU({ name: `${name}_2_relu` }), convBn(y, filters, 3, 1, `${name}_2`, "same"));
  y = convBn(y, 4 * filters, 1, 1, `${name}_3`);
  return apply(tf.layers.reLU({ name: `${name}_out` }), apply(tf.layers.add({ name: `${name}_add` }), [shortcut, y]));
}

/** ResNet50 v1 laid out as keras.applications.ResNet50 (same layer names and parameter count). */
export function buildResNet50({ inputSize, numClasses }: ImageNetStyleOptions): tf.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: "input_1" });
  let x = apply(tf.layers.zeroPadding2d({ padding: 3, name: "conv1_pad" }), input);
  x = apply(tf.layers.reLU({ name: "conv1_relu" }), convBn(x, 64, 7, 2, "conv1"));
  x = apply(tf.layers.zeroPadding2d({ padding: 1, name: "pool1_pad" }), x);
  x = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: "pool1_pool" }), x);
  const stacks: [filters: number, blocks: number, strides: number][] = [[64, 3, 1], [128, 4, 2], [256, 6, 2], [512, 3, 2]];
  stacks.forEach(([filters, blocks, strides], s) => {
    for (let b = 0; b < blocks; b++) x = bottleneck(x, filters, b === 0 ? strides : 1, b === 0, `conv${s + 2}_block${b + 1}`);
  });
  x = apply(tf.layers.globalAveragePooling2d({ name: "avg_pool" }), x);
  const output = apply(tf.layers.dense({ units: numClasses, activation: "softmax", name: "predictions" }), x);
  return tf.model({ inputs: input, outputs: output, name: "resnet50" });
}
