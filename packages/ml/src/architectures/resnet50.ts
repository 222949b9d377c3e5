import * as tf from "@tensorflow/tfjs";
import {
  activation,
  apply,
  imageInput,
  maxPool,
  poolingHead,
  type ImageNetStyleOptions,
  type Tensor,
} from "./blocks.js";

/** Keras' ResNet convs keep their bias and add BN (epsilon 1.001e-5). */
function convBiasBn(
  x: Tensor,
  filters: number,
  kernelSize: number,
  strides: number,
  name: string,
  padding: "same" | "valid" = "valid",
): Tensor {
  const conv = apply(tf.layers.conv2d({ filters, kernelSize, strides, padding, name: `${name}_conv` }), x);
  return apply(tf.layers.batchNormalization({ epsilon: 1.001e-5, name: `${name}_bn` }), conv);
}

/** Bottleneck block with a projection shortcut on the first block of each stack (Keras block1). */
function bottleneck(x: Tensor, filters: number, strides: number, projectShortcut: boolean, name: string): Tensor {
  const shortcut = projectShortcut ? convBiasBn(x, 4 * filters, 1, strides, `${name}_0`) : x;
  let y = activation(convBiasBn(x, filters, 1, strides, `${name}_1`), "relu", `${name}_1_relu`);
  y = activation(convBiasBn(y, filters, 3, 1, `${name}_2`, "same"), "relu", `${name}_2_relu`);
  y = convBiasBn(y, 4 * filters, 1, 1, `${name}_3`);
  return activation(apply(tf.layers.add({ name: `${name}_add` }), [shortcut, y]), "relu", `${name}_out`);
}

/** ResNet50 v1 laid out as keras.applications.ResNet50 (same layer names and parameter count). */
export function buildResNet50({ inputSize, numClasses }: ImageNetStyleOptions): tf.LayersModel {
  const input = imageInput(inputSize);
  let x = apply(tf.layers.zeroPadding2d({ padding: 3, name: "conv1_pad" }), input);
  x = activation(convBiasBn(x, 64, 7, 2, "conv1"), "relu", "conv1_relu");
  x = apply(tf.layers.zeroPadding2d({ padding: 1, name: "pool1_pad" }), x);
  x = maxPool(x, 3, 2, "valid", "pool1_pool");
  const stacks: [filters: number, blocks: number, strides: number][] = [
    [64, 3, 1],
    [128, 4, 2],
    [256, 6, 2],
    [512, 3, 2],
  ];
  stacks.forEach(([filters, blocks, strides], s) => {
    for (let b = 0; b < blocks; b++)
      x = bottleneck(x, filters, b === 0 ? strides : 1, b === 0, `conv${s + 2}_block${b + 1}`);
  });
  return tf.model({ inputs: input, outputs: poolingHead(x, numClasses), name: "resnet50" });
}
