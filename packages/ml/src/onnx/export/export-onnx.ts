import * as tf from "@tensorflow/tfjs";
import { FOLDING_CONVOLUTIONS } from "./convert-convolutions.js";
import { batchNormAffine } from "./convert-normalizations.js";
import { UnsupportedHeadError, UnsupportedLayerError } from "./export-errors.js";
import { fromTfjsLayout, toGraphOutput, type GraphValue } from "./graph-values.js";
import { LAYER_CONVERTERS } from "./layer-converters.js";
import { OnnxGraphBuilder, type GraphValueInfo } from "./onnx-graph-builder.js";
import { ONNX_FILE, type OnnxModelSpec } from "@leukoflow/contracts";

export const ONNX_INPUT = "input";
export const LOGITS_OUTPUT = "logits";
export const LAST_CONV_OUTPUT = "last_conv";
export const FEATURES_OUTPUT = "features";
export const layerOutputName = (layerName: string): string => `layer/${layerName}`;

export interface OnnxExportOptions {
  /** Layers the graph also outputs as `layer/<name>`: the model's OOD layers. */
  layerOutputs?: readonly string[];
}

export interface OnnxExport {
  bytes: Uint8Array;
  spec: OnnxModelSpec;
}

const shapeOf = (layer: tf.layers.Layer): (number | null)[] => layer.outputShape as (number | null)[];

/** The final Dense whose pre-activation is the logits, and a softmax layer after it that the export leaves out. */
function logitsLayer(model: tf.LayersModel): { dense: tf.layers.Layer; softmaxAfter?: tf.layers.Layer } {
  const last = model.layers.at(-1)!;
  const activationOf = (layer: tf.layers.Layer): unknown => (layer.getConfig() as { activation?: unknown }).activation;
  if (last.getClassName() === "Dense" && ["softmax", "linear"].includes(activationOf(last) as string))
    return { dense: last };
  const before = last.inboundNodes[0]?.inboundLayers;
  const isSoftmax =
    last.getClassName() === "Softmax" || (last.getClassName() === "Activation" && activationOf(last) === "softmax");
  if (
    isSoftmax &&
    before?.length === 1 &&
    before[0]!.getClassName() === "Dense" &&
    activationOf(before[0]!) === "linear"
  )
    return { dense: before[0]!, softmaxAfter: last };
  throw new UnsupportedHeadError(
    `${model.name} does not end in a Dense layer with a softmax or no activation, so it has no logits to export`,
  );
}

/** The last layer with a spatial output: the activation Grad-CAM weighs (as splitClassifierHead picks it). */
function lastConvLayer(model: tf.LayersModel): tf.layers.Layer | undefined {
  return model.layers.findLast((layer) => shapeOf(layer).length === 4 && layer.getClassName() !== "InputLayer");
}

/** BatchNormalization layers that fold into the convolution before them, by the convolution's name. */
function foldableBatchNorms(model: tf.LayersModel, keep: ReadonlySet<string>): Map<string, tf.layers.Layer> {
  const folds = new Map<string, tf.layers.Layer>();
  for (const bn of model.layers.filter((layer) => layer.getClassName() === "BatchNormalization")) {
    const inbound = bn.inboundNodes[0]?.inboundLayers ?? [];
    const conv = inbound[0];
    if (inbound.length !== 1 || !conv || !FOLDING_CONVOLUTIONS.has(conv.getClassName())) continue;
    const linear = ((conv.getConfig() as { activation?: string }).activation ?? "linear") === "linear";
    if (linear && conv.outboundNodes.length === 1 && !keep.has(conv.name)) folds.set(conv.name, bn);
  }
  return folds;
}

/**
 * Translates a tfjs LayersModel (one NHWC image input, a Dense classifier at the end) into an ONNX
 * graph with the outputs serving reads: the logits, the last spatial activation, the final Dense's
 * input features and the requested layers' outputs, spatial ones NHWC as in tfjs. Inside, spatial
 * tensors are NCHW and a BatchNormalization after a convolution is folded into its weights.
 * A layer without a translation stops the export with UnsupportedLayerError.
 */
export function exportOnnx(model: tf.LayersModel, options: OnnxExportOptions = {}): OnnxExport {
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new UnsupportedHeadError(`${model.name} must have one input and one output`);
  const { dense, softmaxAfter } = logitsLayer(model);
  const lastConv = lastConvLayer(model);
  const requested = (options.layerOutputs ?? []).map((name) => model.getLayer(name));
  const folds = foldableBatchNorms(model, new Set([...requested.map((layer) => layer.name), lastConv?.name ?? ""]));
  const foldedInto = new Map([...folds].map(([convName, bn]) => [bn.name, convName]));

  const graph = new OnnxGraphBuilder();
  const layerOutputs = Object.fromEntries(requested.map((layer) => [layer.name, layerOutputName(layer.name)]));
  graph.reserve([ONNX_INPUT, LOGITS_OUTPUT, LAST_CONV_OUTPUT, FEATURES_OUTPUT, ...Object.values(layerOutputs)]);
  const values = new Map<number, GraphValue>();
  const valueOf = (tensor: tf.SymbolicTensor): GraphValue => values.get(tensor.id)!;
  const input = model.inputs[0]!;
  values.set(input.id, { name: fromTfjsLayout(graph, ONNX_INPUT, input.shape.length), shape: input.shape });

  // A Sequential model's layers leave out its InputLayer; a functional model's list it first.
  for (const layer of model.layers.filter((l) => l.getClassName() !== "InputLayer")) {
    const className = layer.getClassName();
    if (layer instanceof tf.LayersModel)
      throw new UnsupportedLayerError(
        layer.name,
        className,
        "is a model nested in the model; nested models are not exported",
      );
    if (layer.inboundNodes.length !== 1)
      throw new UnsupportedLayerError(layer.name, className, `is applied ${layer.inboundNodes.length} times`);
    const output = layer.output as tf.SymbolicTensor;
    const shape = shapeOf(layer);
    const inputs = layer.inboundNodes[0]!.inputTensors.map(valueOf);
    if (foldedInto.has(layer.name) || layer === softmaxAfter) {
      values.set(output.id, { ...inputs[0]!, shape });
      continue;
    }
    const convert = LAYER_CONVERTERS[className];
    if (!convert) throw new UnsupportedLayerError(layer.name, className);
    const config = layer.getConfig() as Record<string, unknown>;
    const foldedBn = folds.get(layer.name);
    const name = convert({
      graph,
      layer,
      config,
      inputs,
      outputShape: shape,
      activation: layer === dense ? "linear" : ((config.activation as string | undefined) ?? "linear"),
      foldedBatchNorm: foldedBn && batchNormAffine(foldedBn),
    });
    values.set(output.id, { name, shape });
  }

  const outputs: [string, GraphValue][] = [[LOGITS_OUTPUT, valueOf(dense.output as tf.SymbolicTensor)]];
  const features = valueOf(dense.input as tf.SymbolicTensor);
  if (lastConv) outputs.push([LAST_CONV_OUTPUT, valueOf(lastConv.output as tf.SymbolicTensor)]);
  outputs.push([FEATURES_OUTPUT, features]);
  requested.forEach((layer) => outputs.push([layerOutputs[layer.name]!, valueOf(layer.output as tf.SymbolicTensor)]));
  outputs.forEach(([name, value]) => toGraphOutput(graph, value, name));

  const batched = (shape: readonly (number | null)[]): GraphValueInfo["shape"] =>
    shape.map((d, i) => (i === 0 || d === null ? "N" : d));
  const inputInfo = { name: ONNX_INPUT, shape: batched(input.shape) };
  const bytes = graph.encode(
    model.name,
    [inputInfo],
    outputs.map(([name, value]) => ({ name, shape: batched(value.shape) })),
  );
  return {
    bytes,
    spec: {
      file: ONNX_FILE,
      input: ONNX_INPUT,
      layout: "NHWC",
      logits: LOGITS_OUTPUT,
      lastConv: lastConv ? LAST_CONV_OUTPUT : null,
      features: FEATURES_OUTPUT,
      layerOutputs,
    },
  };
}
