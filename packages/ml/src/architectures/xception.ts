import * as tf from "@tensorflow/tfjs";
import {
  activation,
  apply,
  convBn,
  imageInput,
  maxPool,
  poolingHead,
  type ImageNetStyleOptions,
  type Tensor,
} from "./blocks.js";

function separableBn(x: Tensor, filters: number, name: string): Tensor {
  const conv = apply(tf.layers.separableConv2d({ filters, kernelSize: 3, padding: "same", useBias: false, name }), x);
  return apply(tf.layers.batchNormalization({ epsilon: 1e-3, name: `${name}_bn` }), conv);
}

/** Entry/exit-flow block: [ReLU →] separable → BN, ReLU → separable → BN, max pool, plus a strided 1×1 projection. */
function downsamplingBlock(x: Tensor, filters: [number, number], block: number, reluFirst: boolean): Tensor {
  const residual = convBn(x, {
    filters: filters[1],
    kernelSize: 1,
    strides: 2,
    activation: null,
    name: `conv2d_block${block}`,
    bnName: `batch_normalization_block${block}`,
  });
  let y = reluFirst ? activation(x, "relu", `block${block}_sepconv1_act`) : x;
  y = separableBn(y, filters[0], `block${block}_sepconv1`);
  y = activation(y, "relu", `block${block}_sepconv2_act`);
  y = separableBn(y, filters[1], `block${block}_sepconv2`);
  y = maxPool(y, 3, 2, "same", `block${block}_pool`);
  return apply(tf.layers.add({ name: `add_block${block}` }), [y, residual]);
}

/** Xception laid out as keras.applications.Xception. */
export function buildXception({ inputSize, numClasses }: ImageNetStyleOptions): tf.LayersModel {
  const input = imageInput(inputSize);
  let x = convBn(input, { filters: 32, kernelSize: 3, strides: 2, padding: "valid", name: "block1_conv1" });
  x = convBn(x, { filters: 64, kernelSize: 3, padding: "valid", name: "block1_conv2" });
  x = downsamplingBlock(x, [128, 128], 2, false);
  x = downsamplingBlock(x, [256, 256], 3, true);
  x = downsamplingBlock(x, [728, 728], 4, true);
  for (let block = 5; block <= 12; block++) {
    let y = x;
    for (let i = 1; i <= 3; i++)
      y = separableBn(activation(y, "relu", `block${block}_sepconv${i}_act`), 728, `block${block}_sepconv${i}`);
    x = apply(tf.layers.add({ name: `add_block${block}` }), [y, x]);
  }
  x = downsamplingBlock(x, [728, 1024], 13, true);
  x = activation(separableBn(x, 1536, "block14_sepconv1"), "relu", "block14_sepconv1_act");
  x = activation(separableBn(x, 2048, "block14_sepconv2"), "relu", "block14_sepconv2_act");
  return tf.model({ inputs: input, outputs: poolingHead(x, numClasses), name: "xception" });
}
