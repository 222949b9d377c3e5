import * as tf from "@tensorflow/tfjs";
import {
  averagePool,
  concatenate,
  imageInput,
  maxPool,
  poolingHead,
  type ImageNetStyleOptions,
  type Tensor,
} from "./blocks.js";
import { chain, conv } from "./inception-conv.js";

const pooledConv = (x: Tensor, filters: number): Tensor => conv(averagePool(x, 3, 1, "same"), filters, 1, 1);

function inceptionA(x: Tensor, poolFilters: number, id: number): Tensor {
  return concatenate(
    [
      conv(x, 64, 1, 1),
      chain(x, [
        [48, 1, 1],
        [64, 5, 5],
      ]),
      chain(x, [
        [64, 1, 1],
        [96, 3, 3],
        [96, 3, 3],
      ]),
      pooledConv(x, poolFilters),
    ],
    `mixed${id}`,
  );
}

function inceptionC(x: Tensor, width: number, id: number): Tensor {
  return concatenate(
    [
      conv(x, 192, 1, 1),
      chain(x, [
        [width, 1, 1],
        [width, 1, 7],
        [192, 7, 1],
      ]),
      chain(x, [
        [width, 1, 1],
        [width, 7, 1],
        [width, 1, 7],
        [width, 7, 1],
        [192, 1, 7],
      ]),
      pooledConv(x, 192),
    ],
    `mixed${id}`,
  );
}

function inceptionE(x: Tensor, id: number): Tensor {
  const split = (y: Tensor, name: string): Tensor => concatenate([conv(y, 384, 1, 3), conv(y, 384, 3, 1)], name);
  return concatenate(
    [
      conv(x, 320, 1, 1),
      split(conv(x, 384, 1, 1), `mixed${id}_0`),
      split(
        chain(x, [
          [448, 1, 1],
          [384, 3, 3],
        ]),
        `concatenate_mixed${id}`,
      ),
      pooledConv(x, 192),
    ],
    `mixed${id}`,
  );
}

/** InceptionV3 laid out as keras.applications.InceptionV3 (minimum input 75 px). */
export function buildInceptionV3({ inputSize, numClasses }: ImageNetStyleOptions): tf.LayersModel {
  const input = imageInput(inputSize);
  let x = conv(input, 32, 3, 3, 2, "valid");
  x = conv(x, 32, 3, 3, 1, "valid");
  x = conv(x, 64, 3, 3);
  x = maxPool(x, 3, 2, "valid");
  x = conv(x, 80, 1, 1, 1, "valid");
  x = conv(x, 192, 3, 3, 1, "valid");
  x = maxPool(x, 3, 2, "valid");
  x = inceptionA(x, 32, 0);
  x = inceptionA(x, 64, 1);
  x = inceptionA(x, 64, 2);
  x = concatenate(
    [
      conv(x, 384, 3, 3, 2, "valid"),
      conv(
        chain(x, [
          [64, 1, 1],
          [96, 3, 3],
        ]),
        96,
        3,
        3,
        2,
        "valid",
      ),
      maxPool(x, 3, 2, "valid"),
    ],
    "mixed3",
  );
  x = inceptionC(x, 128, 4);
  x = inceptionC(x, 160, 5);
  x = inceptionC(x, 160, 6);
  x = inceptionC(x, 192, 7);
  x = concatenate(
    [
      conv(conv(x, 192, 1, 1), 320, 3, 3, 2, "valid"),
      conv(
        chain(x, [
          [192, 1, 1],
          [192, 1, 7],
          [192, 7, 1],
        ]),
        192,
        3,
        3,
        2,
        "valid",
      ),
      maxPool(x, 3, 2, "valid"),
    ],
    "mixed8",
  );
  x = inceptionE(x, 9);
  x = inceptionE(x, 10);
  return tf.model({ inputs: input, outputs: poolingHead(x, numClasses), name: "inception_v3" });
}
