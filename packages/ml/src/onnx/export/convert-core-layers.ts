import { applyActivation } from "./convert-activations.js";
import { UnsupportedLayerError } from "./export-errors.js";
import { fromTfjsLayout, inTfjsLayout } from "./graph-values.js";
import { optionalWeight, requireChannelsLast, singleInput, weight, type LayerConverter } from "./layer-conversion.js";

/** Layers that only act in training. */
const identity: LayerConverter = (c) => singleInput(c).name;

/** Flattens in tfjs' element order (rows, columns, channels). */
const flatten: LayerConverter = (c) =>
  c.graph.node("Flatten", [inTfjsLayout(c.graph, singleInput(c))], c.layer.name, { axis: 1 });

/** Reshapes in tfjs' element order; a rank-4 result goes back to NCHW. The batch axis is kept (0 copies it). */
const reshape: LayerConverter = (c) => {
  const targetShape = c.config.targetShape as number[];
  const shape = c.graph.int64s(`${c.layer.name}/shape`, [0, ...targetShape]);
  const reshaped = c.graph.node("Reshape", [inTfjsLayout(c.graph, singleInput(c)), shape], `${c.layer.name}/reshaped`);
  return fromTfjsLayout(c.graph, reshaped, c.outputShape.length);
};

const zeroPadding2d: LayerConverter = (c) => {
  requireChannelsLast(c);
  const [[top, bottom], [left, right]] = c.config.padding as [[number, number], [number, number]];
  const pads = c.graph.int64s(`${c.layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right]);
  return c.graph.node("Pad", [singleInput(c).name, pads], c.layer.name);
};

/** x · kernel + bias over the last axis of a [N, F] input. */
const dense: LayerConverter = (c) => {
  const input = singleInput(c);
  if (input.shape.length !== 2)
    throw new UnsupportedLayerError(c.layer.name, "Dense", `is applied to a rank-${input.shape.length} input`);
  const kernel = weight(c.layer, "kernel");
  const bias = optionalWeight(c.layer, "bias");
  const w = c.graph.floats(`${c.layer.name}/W`, kernel.values, kernel.shape);
  const y = bias
    ? c.graph.node(
        "Gemm",
        [input.name, w, c.graph.floats(`${c.layer.name}/B`, bias.values, bias.shape)],
        `${c.layer.name}/linear`,
      )
    : c.graph.node("MatMul", [input.name, w], `${c.layer.name}/linear`);
  return applyActivation(c, y, c.activation, 2);
};

export const CORE_CONVERTERS: Record<string, LayerConverter> = {
  Dropout: identity,
  SpatialDropout1D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  Flatten: flatten,
  Reshape: reshape,
  ZeroPadding2D: zeroPadding2d,
  Dense: dense,
};
