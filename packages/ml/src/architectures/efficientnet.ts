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
import { Normalization } from "./normalization-layer.js";

interface BlockArgs {
  kernel: number;
  repeats: number;
  filtersIn: number;
  filtersOut: number;
  expand: number;
  strides: number;
}

/** EfficientNet-B0's seven stages (Keras DEFAULT_BLOCKS_ARGS); every block has squeeze-excitation 0.25. */
const B0_BLOCKS: BlockArgs[] = [
  { kernel: 3, repeats: 1, filtersIn: 32, filtersOut: 16, expand: 1, strides: 1 },
  { kernel: 3, repeats: 2, filtersIn: 16, filtersOut: 24, expand: 6, strides: 2 },
  { kernel: 5, repeats: 2, filtersIn: 24, filtersOut: 40, expand: 6, strides: 2 },
  { kernel: 3, repeats: 3, filtersIn: 40, filtersOut: 80, expand: 6, strides: 2 },
  { kernel: 5, repeats: 3, filtersIn: 80, filtersOut: 112, expand: 6, strides: 1 },
  { kernel: 5, repeats: 4, filtersIn: 112, filtersOut: 192, expand: 6, strides: 2 },
  { kernel: 3, repeats: 1, filtersIn: 192, filtersOut: 320, expand: 6, strides: 1 },
];
const SE_RATIO = 0.25;

interface Scaling {
  width: number;
  depth: number;
  dropout: number;
  name: string;
}

function roundFilters(filters: number, width: number, divisor = 8): number {
  const scaled = filters * width;
  const rounded = Math.max(divisor, Math.floor((scaled + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * scaled ? rounded + divisor : rounded;
}

/** Keras' correct_pad: stride-2 convs pad explicitly so even and odd sizes halve like TensorFlow's 'same'. */
function stridePadding(x: Tensor, kernel: number): [[number, number], [number, number]] {
  const adjust = 1 - (x.shape[1]! % 2);
  const half = Math.floor(kernel / 2);
  return [
    [half - adjust, half],
    [half - adjust, half],
  ];
}

function mbConvBlock(x: Tensor, a: Omit<BlockArgs, "repeats">, name: string): Tensor {
  const filters = a.filtersIn * a.expand;
  let y =
    a.expand === 1
      ? x
      : convBn(x, {
          filters,
          kernelSize: 1,
          activation: "swish",
          name: `${name}expand_conv`,
          bnName: `${name}expand_bn`,
          activationName: `${name}expand_activation`,
        });
  if (a.strides === 2)
    y = apply(tf.layers.zeroPadding2d({ padding: stridePadding(y, a.kernel), name: `${name}dwconv_pad` }), y);
  y = apply(
    tf.layers.depthwiseConv2d({
      kernelSize: a.kernel,
      strides: a.strides,
      padding: a.strides === 2 ? "valid" : "same",
      useBias: false,
      name: `${name}dwconv`,
    }),
    y,
  );
  y = activation(
    apply(tf.layers.batchNormalization({ epsilon: 1e-3, name: `${name}bn` }), y),
    "swish",
    `${name}activation`,
  );
  const squeezeFilters = Math.max(1, Math.floor(a.filtersIn * SE_RATIO));
  let se = apply(tf.layers.globalAveragePooling2d({ name: `${name}se_squeeze` }), y);
  se = apply(tf.layers.reshape({ targetShape: [1, 1, filters], name: `${name}se_reshape` }), se);
  se = apply(
    tf.layers.conv2d({
      filters: squeezeFilters,
      kernelSize: 1,
      padding: "same",
      activation: "swish",
      name: `${name}se_reduce`,
    }),
    se,
  );
  se = apply(
    tf.layers.conv2d({ filters, kernelSize: 1, padding: "same", activation: "sigmoid", name: `${name}se_expand` }),
    se,
  );
  y = apply(tf.layers.multiply({ name: `${name}se_excite` }), [y, se]);
  y = convBn(y, {
    filters: a.filtersOut,
    kernelSize: 1,
    activation: null,
    name: `${name}project_conv`,
    bnName: `${name}project_bn`,
  });
  return a.strides === 1 && a.filtersIn === a.filtersOut ? apply(tf.layers.add({ name: `${name}add` }), [y, x]) : y;
}

function buildEfficientNet(scaling: Scaling, { inputSize, numClasses }: ImageNetStyleOptions): tf.LayersModel {
  const input = imageInput(inputSize);
  let x = apply(new Normalization({ name: "normalization" }), input);
  x = apply(tf.layers.zeroPadding2d({ padding: stridePadding(x, 3), name: "stem_conv_pad" }), x);
  x = convBn(x, {
    filters: roundFilters(32, scaling.width),
    kernelSize: 3,
    strides: 2,
    padding: "valid",
    activation: "swish",
    name: "stem_conv",
    bnName: "stem_bn",
    activationName: "stem_activation",
  });
  B0_BLOCKS.forEach((args, stage) => {
    const repeats = Math.ceil(scaling.depth * args.repeats);
    const filtersOut = roundFilters(args.filtersOut, scaling.width);
    for (let j = 0; j < repeats; j++) {
      const filtersIn = j === 0 ? roundFilters(args.filtersIn, scaling.width) : filtersOut;
      x = mbConvBlock(
        x,
        { ...args, filtersIn, filtersOut, strides: j === 0 ? args.strides : 1 },
        `block${stage + 1}${String.fromCharCode(97 + j)}_`,
      );
    }
  });
  x = convBn(x, {
    filters: roundFilters(1280, scaling.width),
    kernelSize: 1,
    activation: "swish",
    name: "top_conv",
    bnName: "top_bn",
    activationName: "top_activation",
  });
  return tf.model({ inputs: input, outputs: poolingHead(x, numClasses, scaling.dropout), name: scaling.name });
}

export const buildEfficientNetB0 = (options: ImageNetStyleOptions): tf.LayersModel =>
  buildEfficientNet({ width: 1, depth: 1, dropout: 0.2, name: "efficientnetb0" }, options);
export const buildEfficientNetB3 = (options: ImageNetStyleOptions): tf.LayersModel =>
  buildEfficientNet({ width: 1.2, depth: 1.4, dropout: 0.3, name: "efficientnetb3" }, options);
