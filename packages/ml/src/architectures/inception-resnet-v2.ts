import * as tf from "@tensorflow/tfjs";
import {
  activation,
  apply,
  averagePool,
  concatenate,
  imageInput,
  maxPool,
  poolingHead,
  type ImageNetStyleOptions,
  type Tensor,
} from "./blocks.js";
import { chain, conv } from "./inception-conv.js";
import { ScaledResidual } from "./scaled-residual-layer.js";

type BlockType = "block35" | "block17" | "block8";

/** The parallel branches of each residual block type, as [filters, rows, cols] chains. */
const BRANCHES: Record<BlockType, [number, number, number][][]> = {
  block35: [
    [[32, 1, 1]],
    [
      [32, 1, 1],
      [32, 3, 3],
    ],
    [
      [32, 1, 1],
      [48, 3, 3],
      [64, 3, 3],
    ],
  ],
  block17: [
    [[192, 1, 1]],
    [
      [128, 1, 1],
      [160, 1, 7],
      [192, 7, 1],
    ],
  ],
  block8: [
    [[192, 1, 1]],
    [
      [192, 1, 1],
      [224, 1, 3],
      [256, 3, 1],
    ],
  ],
};

/** Inception-ResNet block: branches → concat → linear 1×1 conv with bias back to the input width, scaled and added. */
function residualBlock(x: Tensor, type: BlockType, scale: number, relu = true): Tensor {
  const mixed = concatenate(BRANCHES[type].map((steps) => chain(x, steps)));
  const up = apply(tf.layers.conv2d({ filters: x.shape[3]!, kernelSize: 1, useBias: true }), mixed);
  const sum = apply(new ScaledResidual({ scale }), [x, up]);
  return relu ? activation(sum, "relu") : sum;
}

/** InceptionResNetV2 laid out as keras.applications.InceptionResNetV2 (minimum input 75 px). */
export function buildInceptionResNetV2({ inputSize, numClasses }: ImageNetStyleOptions): tf.LayersModel {
  const input = imageInput(inputSize);
  let x = conv(input, 32, 3, 3, 2, "valid");
  x = conv(x, 32, 3, 3, 1, "valid");
  x = conv(x, 64, 3, 3);
  x = maxPool(x, 3, 2, "valid");
  x = conv(x, 80, 1, 1, 1, "valid");
  x = conv(x, 192, 3, 3, 1, "valid");
  x = maxPool(x, 3, 2, "valid");
  x = concatenate(
    [
      conv(x, 96, 1, 1),
      chain(x, [
        [48, 1, 1],
        [64, 5, 5],
      ]),
      chain(x, [
        [64, 1, 1],
        [96, 3, 3],
        [96, 3, 3],
      ]),
      conv(averagePool(x, 3, 1, "same"), 64, 1, 1),
    ],
    "mixed_5b",
  );
  for (let i = 0; i < 10; i++) x = residualBlock(x, "block35", 0.17);
  x = concatenate(
    [
      conv(x, 384, 3, 3, 2, "valid"),
      conv(
        chain(x, [
          [256, 1, 1],
          [256, 3, 3],
        ]),
        384,
        3,
        3,
        2,
        "valid",
      ),
      maxPool(x, 3, 2, "valid"),
    ],
    "mixed_6a",
  );
  for (let i = 0; i < 20; i++) x = residualBlock(x, "block17", 0.1);
  x = concatenate(
    [
      conv(conv(x, 256, 1, 1), 384, 3, 3, 2, "valid"),
      conv(conv(x, 256, 1, 1), 288, 3, 3, 2, "valid"),
      conv(
        chain(x, [
          [256, 1, 1],
          [288, 3, 3],
        ]),
        320,
        3,
        3,
        2,
        "valid",
      ),
      maxPool(x, 3, 2, "valid"),
    ],
    "mixed_7a",
  );
  for (let i = 0; i < 9; i++) x = residualBlock(x, "block8", 0.2);
  x = residualBlock(x, "block8", 1, false);
  x = conv(x, 1536, 1, 1);
  return tf.model({ inputs: input, outputs: poolingHead(x, numClasses), name: "inception_resnet_v2" });
}
