import type * as tf from "@tensorflow/tfjs";
import { UnsupportedLayerError } from "./export-errors.js";
import { channelDims } from "./graph-values.js";
import { optionalWeight, singleInput, weight, type ChannelAffine, type LayerConverter } from "./layer-conversion.js";

/** An inference-mode BatchNormalization as y = x · scale + shift per channel (no gamma = scale off: ones). */
export function batchNormAffine(layer: tf.layers.Layer): ChannelAffine {
  const { axis, epsilon } = layer.getConfig() as { axis: number; epsilon: number };
  const rank = (layer.input as tf.SymbolicTensor).shape.length;
  if (axis !== -1 && axis !== rank - 1)
    throw new UnsupportedLayerError(layer.name, "BatchNormalization", `normalizes axis ${axis}, not the channels`);
  const mean = weight(layer, "moving_mean").values;
  const variance = weight(layer, "moving_variance").values;
  const gamma = optionalWeight(layer, "gamma")?.values;
  const beta = optionalWeight(layer, "beta")?.values;
  const scale = Float64Array.from(variance, (v, c) => (gamma?.[c] ?? 1) / Math.sqrt(v + epsilon));
  const shift = Float64Array.from(mean, (m, c) => (beta?.[c] ?? 0) - m * scale[c]!);
  return { scale, shift };
}

/** A BatchNormalization no convolution absorbed: Mul then Add per channel. */
const batchNormalization: LayerConverter = (c) => {
  const input = singleInput(c);
  const { scale, shift } = batchNormAffine(c.layer);
  const dims = channelDims(input, scale.length);
  const scaled = c.graph.node(
    "Mul",
    [input.name, c.graph.floats(`${c.layer.name}/scale`, Float32Array.from(scale), dims)],
    `${c.layer.name}/scaled`,
  );
  return c.graph.node(
    "Add",
    [scaled, c.graph.floats(`${c.layer.name}/shift`, Float32Array.from(shift), dims)],
    c.layer.name,
  );
};

/** The project's Normalization layer: (x − mean) / √max(variance, 1e-7), as its call computes it. */
const normalization: LayerConverter = (c) => {
  const input = singleInput(c);
  const mean = weight(c.layer, "mean").values;
  const deviation = weight(c.layer, "variance").values.map((v) => Math.sqrt(Math.max(v, 1e-7)));
  const dims = channelDims(input, mean.length);
  const centred = c.graph.node(
    "Sub",
    [input.name, c.graph.floats(`${c.layer.name}/mean`, mean, dims)],
    `${c.layer.name}/centred`,
  );
  return c.graph.node("Div", [centred, c.graph.floats(`${c.layer.name}/deviation`, deviation, dims)], c.layer.name);
};

/** tfjs' Rescaling: x · scale + offset. */
const rescaling: LayerConverter = (c) => {
  const { scale, offset } = c.config as { scale: number; offset: number };
  const scaled = c.graph.node(
    "Mul",
    [singleInput(c).name, c.graph.floats(`${c.layer.name}/scale`, [scale], [])],
    `${c.layer.name}/scaled`,
  );
  return c.graph.node("Add", [scaled, c.graph.floats(`${c.layer.name}/offset`, [offset], [])], c.layer.name);
};

export const NORMALIZATION_CONVERTERS: Record<string, LayerConverter> = {
  BatchNormalization: batchNormalization,
  Normalization: normalization,
  Rescaling: rescaling,
};
