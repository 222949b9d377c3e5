import { UnsupportedLayerError } from "./export-errors.js";
import { spatialSize, type LayerConversion } from "./layer-conversion.js";
import type { GraphValue } from "./graph-values.js";

/** TensorFlow's "same" padding of one axis: the output has ⌈in/stride⌉ cells and the odd cell of padding goes at the end. */
function samePadding(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const span = (kernel - 1) * dilation + 1;
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + span - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** ONNX pads [top, left, bottom, right] of a convolution or pooling window with tfjs' padding mode. */
export function windowPads(
  c: LayerConversion,
  input: GraphValue,
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number] = [1, 1],
): number[] {
  const padding = c.config.padding;
  if (padding === "valid") return [0, 0, 0, 0];
  if (padding !== "same")
    throw new UnsupportedLayerError(c.layer.name, c.layer.getClassName(), `has padding "${String(padding)}"`);
  const [rows, cols] = spatialSize(c, input);
  const [top, bottom] = samePadding(rows, kernel[0], strides[0], dilations[0]);
  const [left, right] = samePadding(cols, kernel[1], strides[1], dilations[1]);
  return [top, left, bottom, right];
}
