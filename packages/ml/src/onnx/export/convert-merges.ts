import { UnsupportedLayerError } from "./export-errors.js";
import { graphAxis } from "./graph-values.js";
import type { LayerConversion, LayerConverter } from "./layer-conversion.js";

/** Input names of an elementwise merge; inputs of different ranks would broadcast differently in NCHW, so they are refused. */
function sameRankInputs(c: LayerConversion): string[] {
  const ranks = new Set(c.inputs.map((input) => input.shape.length));
  if (ranks.size !== 1)
    throw new UnsupportedLayerError(c.layer.name, c.layer.getClassName(), "merges inputs of different ranks");
  return c.inputs.map((input) => input.name);
}

/** A binary ONNX operator applied over every input, left to right as tfjs does. */
function chain(c: LayerConversion, opType: string, hint: string): string {
  const [first, ...rest] = sameRankInputs(c);
  return rest.reduce((acc, x) => c.graph.node(opType, [acc, x], hint), first!);
}

const fold =
  (opType: string): LayerConverter =>
  (c) =>
    chain(c, opType, c.layer.name);

/** tfjs' Average: the sum times 1/n. */
const average: LayerConverter = (c) => {
  const sum = chain(c, "Add", `${c.layer.name}/sum`);
  return c.graph.node(
    "Mul",
    [sum, c.graph.floats(`${c.layer.name}/reciprocal`, [1 / c.inputs.length], [])],
    c.layer.name,
  );
};

const concatenate: LayerConverter = (c) => {
  const names = sameRankInputs(c);
  return c.graph.node("Concat", names, c.layer.name, {
    axis: graphAxis(c.config.axis as number, c.inputs[0]!.shape.length),
  });
};

/** The project's ScaledResidual (Keras' CustomScaleLayer): x + scale · residual. */
const scaledResidual: LayerConverter = (c) => {
  const [x, residual] = sameRankInputs(c);
  const scaled = c.graph.node(
    "Mul",
    [residual!, c.graph.floats(`${c.layer.name}/scale`, [c.config.scale as number], [])],
    `${c.layer.name}/scaled`,
  );
  return c.graph.node("Add", [x!, scaled], c.layer.name);
};

export const MERGE_CONVERTERS: Record<string, LayerConverter> = {
  Add: fold("Add"),
  Multiply: fold("Mul"),
  Maximum: fold("Max"),
  Minimum: fold("Min"),
  Average: average,
  Concatenate: concatenate,
  CustomScaleLayer: scaledResidual,
};
