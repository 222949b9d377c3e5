import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** The final Dense of a graph as read from its initializers: logits = features · kernel + bias. */
export interface DenseHead {
  /** [features, classes], row-major. */
  kernel: Float32Array;
  bias: Float32Array;
  features: number;
  classes: number;
}

function floats(tensor: onnxProto.onnx.ITensorProto): Float32Array {
  if (tensor.dataType !== onnx.TensorProto.DataType.FLOAT) throw new Error(`${tensor.name} is not float32`);
  const raw = tensor.rawData;
  if (raw && raw.length > 0) return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  return Float32Array.from(tensor.floatData ?? []);
}

function attribute(node: onnxProto.onnx.INodeProto, name: string, fallback: number): number {
  const found = node.attribute?.find((a) => a.name === name);
  if (!found) return fallback;
  return found.type === onnx.AttributeProto.AttributeType.FLOAT ? (found.f ?? fallback) : Number(found.i ?? fallback);
}

/**
 * Follows the named output back (through Identity and Softmax) to the Gemm, or MatMul + Add, that
 * makes it from a constant kernel; null when the graph ends otherwise.
 */
export function findDenseHead(modelBytes: Uint8Array, outputName: string): DenseHead | null {
  const graph = onnx.ModelProto.decode(modelBytes).graph;
  if (!graph) return null;
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? "", tensor]));
  const producer = (name: string): onnxProto.onnx.INodeProto | undefined =>
    graph.node?.find((node) => node.output?.includes(name));
  const constant = (name: string | undefined): onnxProto.onnx.ITensorProto | undefined =>
    name === undefined ? undefined : initializers.get(name);
  let node = producer(outputName);
  while (node && (node.opType === "Identity" || node.opType === "Softmax")) node = producer(node.input![0]!);
  if (!node) return null;

  let kernelTensor: onnxProto.onnx.ITensorProto | undefined;
  let biasTensor: onnxProto.onnx.ITensorProto | undefined;
  let transposed = false;
  let [alpha, beta] = [1, 1];
  if (node.opType === "Gemm") {
    if (attribute(node, "transA", 0) !== 0) return null;
    [kernelTensor, biasTensor] = [constant(node.input![1]), constant(node.input![2])];
    transposed = attribute(node, "transB", 0) !== 0;
    [alpha, beta] = [attribute(node, "alpha", 1), attribute(node, "beta", 1)];
  } else if (node.opType === "Add") {
    const [a, b] = node.input!;
    biasTensor = constant(a) ?? constant(b);
    const matMul = producer((constant(a) ? b : a)!);
    if (matMul?.opType !== "MatMul") return null;
    kernelTensor = constant(matMul.input![1]);
  } else if (node.opType === "MatMul") {
    kernelTensor = constant(node.input![1]);
  }
  if (!kernelTensor || kernelTensor.dims?.length !== 2) return null;
  const [rows, columns] = kernelTensor.dims.map(Number) as [number, number];
  const [features, classes] = transposed ? [columns, rows] : [rows, columns];
  const stored = floats(kernelTensor);
  const kernel = new Float32Array(features * classes);
  for (let f = 0; f < features; f++) {
    for (let c = 0; c < classes; c++)
      kernel[f * classes + c] = alpha * stored[transposed ? c * features + f : f * classes + c]!;
  }
  const storedBias = biasTensor ? floats(biasTensor) : new Float32Array(classes);
  if (storedBias.length !== classes) return null;
  return { kernel, bias: storedBias.map((value) => beta * value), features, classes };
}
