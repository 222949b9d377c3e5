import type * as tf from "@tensorflow/tfjs";
import { UnsupportedLayerError } from "./export-errors.js";
import type { GraphValue } from "./graph-values.js";
import type { OnnxGraphBuilder } from "./onnx-graph-builder.js";

/** y = x · scale + shift per channel: an inference-mode BatchNormalization. */
export interface ChannelAffine {
  scale: Float64Array;
  shift: Float64Array;
}

export interface LayerWeight {
  values: Float32Array;
  shape: number[];
}

/** What a converter gets to translate one layer. */
export interface LayerConversion {
  graph: OnnxGraphBuilder;
  layer: tf.layers.Layer;
  config: Record<string, unknown>;
  inputs: GraphValue[];
  outputShape: (number | null)[];
  /** The layer's activation, or "linear" where the export needs its pre-activation output (the logits). */
  activation: string;
  /** A BatchNormalization that follows this convolution, to fold into its weights. */
  foldedBatchNorm?: ChannelAffine;
}

/** Translates a layer into graph nodes and returns the name of its output value. */
export type LayerConverter = (c: LayerConversion) => string;

/** The layer's weight called `name` (kernel, bias, gamma…), or undefined when the layer has none of it. */
export function optionalWeight(layer: tf.layers.Layer, name: string): LayerWeight | undefined {
  const variable = layer.weights.find((w) => w.originalName.split("/").at(-1) === name);
  if (!variable) return undefined;
  return { values: variable.read().dataSync() as Float32Array, shape: [...variable.shape] as number[] };
}

export function weight(layer: tf.layers.Layer, name: string): LayerWeight {
  const found = optionalWeight(layer, name);
  if (!found) throw new UnsupportedLayerError(layer.name, layer.getClassName(), `has no weight "${name}"`);
  return found;
}

/** The tfjs layer's single input, or an error naming it. */
export function singleInput(c: LayerConversion): GraphValue {
  if (c.inputs.length !== 1)
    throw new UnsupportedLayerError(c.layer.name, c.layer.getClassName(), `has ${c.inputs.length} inputs, 1 expected`);
  return c.inputs[0]!;
}

/** A [rows, cols] pair from a tfjs config entry that may be a number or a pair. */
export function pair(value: unknown, fallback?: number): [number, number] {
  if (typeof value === "number") return [value, value];
  if (Array.isArray(value) && value.length === 2) return [value[0] as number, value[1] as number];
  if (value == null && fallback !== undefined) return [fallback, fallback];
  throw new Error(`expected a number or a pair, got ${JSON.stringify(value)}`);
}

/** A spatial layer's input side lengths, which "same" padding needs. */
export function spatialSize(c: LayerConversion, input: GraphValue): [number, number] {
  const [, rows, cols] = input.shape;
  if (input.shape.length !== 4 || typeof rows !== "number" || typeof cols !== "number") {
    throw new UnsupportedLayerError(
      c.layer.name,
      c.layer.getClassName(),
      "needs a rank-4 input of known height and width",
    );
  }
  return [rows, cols];
}

/** Requires the channels-last layout every tfjs model in the project uses. */
export function requireChannelsLast(c: LayerConversion): void {
  if (c.config.dataFormat === "channelsFirst")
    throw new UnsupportedLayerError(c.layer.name, c.layer.getClassName(), "is channels-first");
}
