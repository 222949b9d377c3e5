import { applyActivation } from "./convert-activations.js";
import {
  optionalWeight,
  pair,
  requireChannelsLast,
  singleInput,
  weight,
  type ChannelAffine,
  type LayerConversion,
  type LayerConverter,
  type LayerWeight,
} from "./layer-conversion.js";
import { windowPads } from "./tf-padding.js";

/** A tfjs kernel [rows, cols, in, out] as ONNX's [out, in, rows, cols]. */
function onnxKernel({ values, shape }: LayerWeight): Float32Array {
  const [rows, cols, inputs, outputs] = shape as [number, number, number, number];
  const out = new Float32Array(values.length);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      for (let i = 0; i < inputs; i++) {
        for (let o = 0; o < outputs; o++) {
          out[((o * inputs + i) * rows + y) * cols + x] = values[((y * cols + x) * inputs + i) * outputs + o]!;
        }
      }
    }
  }
  return out;
}

/** The bias after a folded BatchNormalization: bias · scale + shift; none when there is neither. */
function foldedBias(
  bias: LayerWeight | undefined,
  folded: ChannelAffine | undefined,
  channels: number,
): Float32Array | undefined {
  if (!folded) return bias?.values;
  return Float32Array.from(
    { length: channels },
    (_, o) => (bias?.values[o] ?? 0) * folded.scale[o]! + folded.shift[o]!,
  );
}

interface ConvNode {
  input: string;
  kernel: LayerWeight;
  bias?: Float32Array;
  group: number;
  strides: [number, number];
  dilations: [number, number];
  pads: number[];
  hint: string;
}

function conv(c: LayerConversion, n: ConvNode): string {
  const [rows, cols, , outputs] = n.kernel.shape as [number, number, number, number];
  const w = c.graph.floats(`${n.hint}/W`, onnxKernel(n.kernel), [outputs, n.kernel.shape[2]!, rows, cols]);
  const b = n.bias ? [c.graph.floats(`${n.hint}/B`, n.bias, [outputs])] : [];
  return c.graph.node("Conv", [n.input, w, ...b], n.hint, {
    kernel_shape: [rows, cols],
    strides: n.strides,
    dilations: n.dilations,
    pads: n.pads,
    group: n.group,
  });
}

/** The window geometry every 2-D convolution shares. */
function geometry(c: LayerConversion): {
  strides: [number, number];
  dilations: [number, number];
  pads: number[];
  kernelSize: [number, number];
} {
  requireChannelsLast(c);
  const kernelSize = pair(c.config.kernelSize);
  const strides = pair(c.config.strides, 1);
  const dilations = pair(c.config.dilationRate, 1);
  return { kernelSize, strides, dilations, pads: windowPads(c, singleInput(c), kernelSize, strides, dilations) };
}

/** A tfjs kernel with each output channel (its last axis) scaled by a folded BatchNormalization. */
function scaledKernel(kernel: LayerWeight, folded: ChannelAffine | undefined): LayerWeight {
  if (!folded) return kernel;
  const outputs = kernel.shape.at(-1)!;
  return { shape: kernel.shape, values: kernel.values.map((v, i) => v * folded.scale[i % outputs]!) };
}

const conv2d: LayerConverter = (c) => {
  const { strides, dilations, pads } = geometry(c);
  const kernel = weight(c.layer, "kernel");
  const channels = kernel.shape[3]!;
  const bias = foldedBias(optionalWeight(c.layer, "bias"), c.foldedBatchNorm, channels);
  const y = conv(c, {
    input: singleInput(c).name,
    kernel: scaledKernel(kernel, c.foldedBatchNorm),
    bias,
    group: 1,
    strides,
    dilations,
    pads,
    hint: c.layer.name,
  });
  return applyActivation(c, y, c.activation, 4);
};

/** A depthwise kernel [rows, cols, in, multiplier] is, in memory, the grouped kernel [rows, cols, 1, in · multiplier]. */
function asGroupedKernel({ values, shape }: LayerWeight): LayerWeight {
  const [rows, cols, inputs, multiplier] = shape as [number, number, number, number];
  return { values, shape: [rows, cols, 1, inputs * multiplier] };
}

const depthwiseConv2d: LayerConverter = (c) => {
  const { strides, dilations, pads } = geometry(c);
  const kernel = asGroupedKernel(weight(c.layer, "depthwise_kernel"));
  const bias = foldedBias(optionalWeight(c.layer, "bias"), c.foldedBatchNorm, kernel.shape[3]!);
  const input = singleInput(c);
  const group = input.shape[3]!;
  const y = conv(c, {
    input: input.name,
    kernel: scaledKernel(kernel, c.foldedBatchNorm),
    bias,
    group,
    strides,
    dilations,
    pads,
    hint: c.layer.name,
  });
  return applyActivation(c, y, c.activation, 4);
};

/** Depthwise convolution without bias, then the pointwise 1×1 convolution with the bias (and a folded BN). */
const separableConv2d: LayerConverter = (c) => {
  const { strides, dilations, pads } = geometry(c);
  const input = singleInput(c);
  const depthwise = conv(c, {
    input: input.name,
    kernel: asGroupedKernel(weight(c.layer, "depthwise_kernel")),
    group: input.shape[3]!,
    strides,
    dilations,
    pads,
    hint: `${c.layer.name}/depthwise`,
  });
  const pointwise = weight(c.layer, "pointwise_kernel");
  const bias = foldedBias(optionalWeight(c.layer, "bias"), c.foldedBatchNorm, pointwise.shape[3]!);
  const y = conv(c, {
    input: depthwise,
    kernel: scaledKernel(pointwise, c.foldedBatchNorm),
    bias,
    group: 1,
    strides: [1, 1],
    dilations: [1, 1],
    pads: [0, 0, 0, 0],
    hint: c.layer.name,
  });
  return applyActivation(c, y, c.activation, 4);
};

export const CONVOLUTION_CONVERTERS: Record<string, LayerConverter> = {
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
};

/** The layers a following BatchNormalization folds into. */
export const FOLDING_CONVOLUTIONS = new Set(Object.keys(CONVOLUTION_CONVERTERS));
