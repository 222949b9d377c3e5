import onnxProto from "onnx-proto";
import { pooledFeatureRows } from "../../ood/layer-features.js";
import { rowsOf } from "../serving-classifier.js";
import type { PlainTensor } from "./onnx-forward.js";
import { OnnxModelLoadError } from "./onnx-session.js";
import type { OnnxModelSpec } from "@leukoflow/contracts";

const { onnx } = onnxProto;

/** A graph with pooled twins of some of its outputs, and where each requested output's features come from. */
export interface PooledGraph {
  bytes: Uint8Array;
  /** Per requested output: the output to fetch, and whether ORT already pooled it to [N, 2C] (else pool it as the array comes). */
  sources: Map<string, { output: string; pooled: boolean }>;
}

const declaredRank = (info: onnxProto.onnx.IValueInfoProto | undefined): number | undefined =>
  info?.type?.tensorType?.shape?.dim?.length;

/**
 * Adds to the graph, for each rank-4 output named, an output "<name>/pooled" of its channel means
 * then channel standard deviations (pooledLayerFeatures' features), so ONNX Runtime pools the
 * large spatial activations itself instead of handing them to JavaScript. Outputs of unknown or
 * other rank are left to be pooled from the array.
 */
export function withPooledOutputs(
  modelBytes: Uint8Array,
  outputs: readonly string[],
  layout: OnnxModelSpec["layout"],
  label: string,
): PooledGraph {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(modelBytes);
  } catch (error) {
    throw new OnnxModelLoadError(
      `${label} does not load in ONNX Runtime: not an ONNX model (${(error as Error).message})`,
    );
  }
  const graph = model.graph!;
  const opset = Number(model.opsetImport?.find((entry) => !entry.domain)?.version ?? 13);
  const axes = layout === "NHWC" ? [1, 2] : [2, 3];
  const channelAxis = layout === "NHWC" ? 3 : 1;
  const sources = new Map<string, { output: string; pooled: boolean }>();
  let axesInput: string | undefined;
  for (const name of new Set(outputs)) {
    if (declaredRank(graph.output?.find((info) => info.name === name)) !== 4) {
      sources.set(name, { output: name, pooled: false });
      continue;
    }
    // ReduceMean takes its axes as an attribute up to opset 17 and as an input from 18.
    if (opset >= 18 && axesInput === undefined) {
      axesInput = "pooling/axes";
      const data = BigInt64Array.from(axes, (axis) => BigInt(axis));
      graph.initializer!.push({
        name: axesInput,
        dataType: onnx.TensorProto.DataType.INT64,
        dims: [axes.length],
        rawData: new Uint8Array(data.buffer),
      });
    }
    const at = (suffix: string): string => `${name}/pooling/${suffix}`;
    const reduceMean = (input: string, output: string): onnxProto.onnx.INodeProto => ({
      opType: "ReduceMean",
      name: output,
      input: axesInput ? [input, axesInput] : [input],
      output: [output],
      attribute: [
        ...(axesInput ? [] : [{ name: "axes", type: onnx.AttributeProto.AttributeType.INTS, ints: axes }]),
        { name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 1 },
      ],
    });
    const pooled = `${name}/pooled`;
    graph.node!.push(
      reduceMean(name, at("mean")),
      { opType: "Sub", name: at("centred"), input: [name, at("mean")], output: [at("centred")] },
      { opType: "Mul", name: at("squares"), input: [at("centred"), at("centred")], output: [at("squares")] },
      reduceMean(at("squares"), at("variance")),
      { opType: "Sqrt", name: at("std"), input: [at("variance")], output: [at("std")] },
      {
        opType: "Concat",
        name: at("moments"),
        input: [at("mean"), at("std")],
        output: [at("moments")],
        attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: channelAxis }],
      },
      {
        opType: "Flatten",
        name: pooled,
        input: [at("moments")],
        output: [pooled],
        attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      },
    );
    graph.output!.push({ name: pooled, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } });
    sources.set(name, { output: pooled, pooled: true });
  }
  return { bytes: onnx.ModelProto.encode(model).finish(), sources };
}

/** The first `count` images' pooled feature rows of a requested output, from a run that fetched its source. */
export function featureRowsOf(
  results: Record<string, PlainTensor>,
  graph: PooledGraph,
  name: string,
  count: number,
  layout: OnnxModelSpec["layout"],
): Float32Array[] {
  const { output, pooled } = graph.sources.get(name)!;
  const { data, dims } = results[output]!;
  return pooled
    ? rowsOf(data.subarray(0, count * dims[1]!), count)
    : pooledFeatureRows(data, dims, count, layout === "NHWC");
}
