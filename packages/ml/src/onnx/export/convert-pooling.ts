import { UnsupportedLayerError } from "./export-errors.js";
import {
  pair,
  requireChannelsLast,
  singleInput,
  type LayerConversion,
  type LayerConverter,
} from "./layer-conversion.js";
import { windowPads } from "./tf-padding.js";

/** Max or average pooling; ONNX's AveragePool leaves padding out of the mean, as TensorFlow does. */
const windowPooling =
  (opType: "MaxPool" | "AveragePool"): LayerConverter =>
  (c) => {
    requireChannelsLast(c);
    const input = singleInput(c);
    const kernel = pair(c.config.poolSize);
    const strides = pair(c.config.strides ?? kernel);
    const pads = windowPads(c, input, kernel, strides);
    return c.graph.node(opType, [input.name], c.layer.name, { kernel_shape: kernel, strides, pads });
  };

/** Global pooling to [N, C, 1, 1], then [N, C] unless the layer keeps the spatial axes. */
const globalPooling =
  (opType: "GlobalAveragePool" | "GlobalMaxPool"): LayerConverter =>
  (c: LayerConversion) => {
    requireChannelsLast(c);
    const input = singleInput(c);
    if (input.shape.length !== 4)
      throw new UnsupportedLayerError(c.layer.name, c.layer.getClassName(), "needs a rank-4 input");
    if (c.outputShape.length === 4) return c.graph.node(opType, [input.name], c.layer.name);
    return c.graph.node("Flatten", [c.graph.node(opType, [input.name], `${c.layer.name}/pooled`)], c.layer.name, {
      axis: 1,
    });
  };

export const POOLING_CONVERTERS: Record<string, LayerConverter> = {
  MaxPooling2D: windowPooling("MaxPool"),
  AveragePooling2D: windowPooling("AveragePool"),
  GlobalAveragePooling2D: globalPooling("GlobalAveragePool"),
  GlobalMaxPooling2D: globalPooling("GlobalMaxPool"),
};
