import { UnsupportedLayerError } from "./export-errors.js";
import { graphAxis } from "./graph-values.js";
import { singleInput, type LayerConversion, type LayerConverter } from "./layer-conversion.js";
import type { OnnxGraphBuilder } from "./onnx-graph-builder.js";

type Unary = (graph: OnnxGraphBuilder, x: string, hint: string, rank: number) => string;

const op =
  (opType: string, attributes = {}): Unary =>
  (graph, x, hint) =>
    graph.node(opType, [x], hint, attributes);

function clip(graph: OnnxGraphBuilder, x: string, hint: string, min: number, max?: number): string {
  const bounds = [
    graph.floats(`${hint}/min`, [min], []),
    ...(max === undefined ? [] : [graph.floats(`${hint}/max`, [max], [])]),
  ];
  return graph.node("Clip", [x, ...bounds], hint);
}

/** x · f(x), the form swish and mish share. */
const gated =
  (gate: Unary): Unary =>
  (graph, x, hint, rank) =>
    graph.node("Mul", [x, gate(graph, x, `${hint}/gate`, rank)], hint);

/** tfjs' activations by the name its configs give them, each as tfjs computes it. */
const ACTIVATIONS: Record<string, Unary> = {
  relu: op("Relu"),
  relu6: (graph, x, hint) => clip(graph, x, hint, 0, 6),
  sigmoid: op("Sigmoid"),
  tanh: op("Tanh"),
  elu: op("Elu", { alpha: { float: 1 } }),
  selu: op("Selu"),
  softplus: op("Softplus"),
  softsign: op("Softsign"),
  hardSigmoid: op("HardSigmoid", { alpha: { float: 0.2 }, beta: { float: 0.5 } }),
  swish: gated(op("Sigmoid")),
  mish: gated((graph, x, hint) => graph.node("Tanh", [graph.node("Softplus", [x], `${hint}/softplus`)], hint)),
  softmax: (graph, x, hint, rank) => graph.node("Softmax", [x], hint, { axis: graphAxis(-1, rank) }),
};

/** Applies a tfjs activation (a layer's fused one or an Activation layer's) to the value `x` of rank `rank`. */
export function applyActivation(c: LayerConversion, x: string, activation: string, rank: number): string {
  if (activation === "linear") return x;
  const unary = ACTIVATIONS[activation];
  if (!unary)
    throw new UnsupportedLayerError(
      c.layer.name,
      c.layer.getClassName(),
      `has activation "${activation}", which has no ONNX translation`,
    );
  return unary(c.graph, x, `${c.layer.name}/${activation}`, rank);
}

const activationLayer: LayerConverter = (c) =>
  applyActivation(c, singleInput(c).name, c.activation, c.outputShape.length);

/** tfjs' ReLU layer: max(x, 0), capped at maxValue when it has one. */
const reluLayer: LayerConverter = (c) => {
  const maxValue = c.config.maxValue as number | null | undefined;
  const x = singleInput(c).name;
  return maxValue == null ? c.graph.node("Relu", [x], c.layer.name) : clip(c.graph, x, c.layer.name, 0, maxValue);
};

const leakyReluLayer: LayerConverter = (c) =>
  c.graph.node("LeakyRelu", [singleInput(c).name], c.layer.name, { alpha: { float: c.config.alpha as number } });

const eluLayer: LayerConverter = (c) =>
  c.graph.node("Elu", [singleInput(c).name], c.layer.name, { alpha: { float: c.config.alpha as number } });

const softmaxLayer: LayerConverter = (c) => {
  const input = singleInput(c);
  const axis = c.config.axis as number | number[];
  if (Array.isArray(axis)) throw new UnsupportedLayerError(c.layer.name, "Softmax", "normalizes over several axes");
  return c.graph.node("Softmax", [input.name], c.layer.name, { axis: graphAxis(axis, input.shape.length) });
};

export const ACTIVATION_CONVERTERS: Record<string, LayerConverter> = {
  Activation: activationLayer,
  ReLU: reluLayer,
  LeakyReLU: leakyReluLayer,
  ELU: eluLayer,
  Softmax: softmaxLayer,
};
