import type { OnnxGraphBuilder } from "./onnx-graph-builder.js";

/**
 * A tfjs tensor as it lives in the exported graph. Rank-4 activations are NCHW there (ONNX's
 * convolution layout); every other rank keeps the tfjs layout. `shape` is the tfjs shape.
 */
export interface GraphValue {
  name: string;
  shape: readonly (number | null)[];
}

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

/** The value as tfjs lays it out (NHWC for rank 4), for operations that follow tfjs' element order. */
export function inTfjsLayout(graph: OnnxGraphBuilder, value: GraphValue): string {
  return value.shape.length === 4
    ? graph.node("Transpose", [value.name], `${value.name}/nhwc`, { perm: NCHW_TO_NHWC })
    : value.name;
}

/** A tensor in tfjs layout brought into the graph's layout (NCHW for rank 4). */
export function fromTfjsLayout(graph: OnnxGraphBuilder, name: string, rank: number): string {
  return rank === 4 ? graph.node("Transpose", [name], `${name}/nchw`, { perm: NHWC_TO_NCHW }) : name;
}

/** Writes a value to a graph output in tfjs layout. */
export function toGraphOutput(graph: OnnxGraphBuilder, value: GraphValue, output: string): void {
  if (value.shape.length === 4) graph.nodeInto("Transpose", [value.name], output, { perm: NCHW_TO_NHWC });
  else graph.nodeInto("Identity", [value.name], output);
}

/** The graph axis of a tfjs axis (negative counts from the end). */
export function graphAxis(tfjsAxis: number, rank: number): number {
  const axis = tfjsAxis < 0 ? tfjsAxis + rank : tfjsAxis;
  return rank === 4 ? NHWC_TO_NCHW.indexOf(axis) : axis;
}

/** The dims of a per-channel constant that broadcasts over a value (channels are axis 1 in NCHW, last otherwise). */
export function channelDims(value: GraphValue, channels: number): number[] {
  return value.shape.length === 4 ? [channels, 1, 1] : [channels];
}
