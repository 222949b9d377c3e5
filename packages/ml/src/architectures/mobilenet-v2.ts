import * as tf from "@tensorflow/tfjs";
import {
  activation,
  apply,
  convBn,
  imageInput,
  poolingHead,
  type ImageNetStyleOptions,
  type Tensor,
} from "./blocks.js";

/** [output filters, stride, expansion] of the 17 inverted-residual blocks (alpha = 1). */
const BLOCKS: [number, number, number][] = [
  [16, 1, 1],
  [24, 2, 6],
  [24, 1, 6],
  [32, 2, 6],
  [32, 1, 6],
  [32, 1, 6],
  [64, 2, 6],
  [64, 1, 6],
  [64, 1, 6],
  [64, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [160, 2, 6],
  [160, 1, 6],
  [160, 1, 6],
  [320, 1, 6],
];

const BN = { epsilon: 1e-3, momentum: 0.999 };
const relu6Bn = (name: string, relu = true) => ({
  ...BN,
  name,
  bnName: `${name}_BN`,
  activation: relu ? ("relu6" as const) : null,
  activationName: `${name}_relu`,
});

function invertedResidual(x: Tensor, [filters, strides, expansion]: [number, number, number], id: number): Tensor {
  const inChannels = x.shape[3]!;
  const prefix = id === 0 ? "expanded_conv" : `block_${id}`;
  let y = x;
  if (id > 0) y = convBn(y, { filters: expansion * inChannels, kernelSize: 1, ...relu6Bn(`${prefix}_expand`) });
  // Keras pads stride-2 depthwise convs explicitly (bottom/right for even sizes) and uses 'valid'.
  if (strides === 2)
    y = apply(
      tf.layers.zeroPadding2d({
        padding: [
          [0, 1],
          [0, 1],
        ],
        name: `${prefix}_pad`,
      }),
      y,
    );
  y = apply(
    tf.layers.depthwiseConv2d({
      kernelSize: 3,
      strides,
      padding: strides === 2 ? "valid" : "same",
      useBias: false,
      name: `${prefix}_depthwise`,
    }),
    y,
  );
  y = activation(
    apply(tf.layers.batchNormalization({ ...BN, name: `${prefix}_depthwise_BN` }), y),
    "relu6",
    `${prefix}_depthwise_relu`,
  );
  y = convBn(y, { filters, kernelSize: 1, ...relu6Bn(`${prefix}_project`, false) });
  return inChannels === filters && strides === 1 ? apply(tf.layers.add({ name: `${prefix}_add` }), [x, y]) : y;
}

/** MobileNetV2 (alpha 1.0) laid out as keras.applications.MobileNetV2. */
export function buildMobileNetV2({ inputSize, numClasses }: ImageNetStyleOptions): tf.LayersModel {
  const input = imageInput(inputSize);
  let x = convBn(input, {
    filters: 32,
    kernelSize: 3,
    strides: 2,
    ...relu6Bn("Conv1"),
    bnName: "bn_Conv1",
    activationName: "Conv1_relu",
  });
  BLOCKS.forEach((block, id) => (x = invertedResidual(x, block, id)));
  x = convBn(x, {
    filters: 1280,
    kernelSize: 1,
    ...relu6Bn("Conv_1"),
    bnName: "Conv_1_bn",
    activationName: "out_relu",
  });
  return tf.model({
    inputs: input,
    outputs: poolingHead(x, numClasses, 0, "global_average_pooling2d"),
    name: "mobilenetv2_1.00",
  });
}
