import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** ONNX opset the exporter writes; ONNX Runtime supports it on every execution provider. */
export const OPSET = 13;
const IR_VERSION = 7;

/** An integer, integers, a string, or a float (floats are boxed: 1.0 is no integer attribute). */
export type AttributeValue = number | number[] | string | { float: number };

export interface GraphValueInfo {
  name: string;
  /** A number per dimension; a string names a dimension of any size (the batch). */
  shape: (number | string)[];
}

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === "string") return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === "object") return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.INT, i: value };
}

function valueInfo({ name, shape }: GraphValueInfo): onnxProto.onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim } } } };
}

/** Collects nodes and initializers under unique value names and serializes them as one ONNX model. */
export class OnnxGraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly taken = new Set<string>();

  /** Keeps `names` (the graph's inputs and outputs) from being given to any internal value. */
  reserve(names: readonly string[]): void {
    names.forEach((name) => this.taken.add(name));
  }

  unique(hint: string): string {
    let name = hint;
    for (let i = 1; this.taken.has(name); i++) name = `${hint}_${i}`;
    this.taken.add(name);
    return name;
  }

  floats(hint: string, values: Float32Array | readonly number[], dims: readonly number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.initializer(
      hint,
      onnx.TensorProto.DataType.FLOAT,
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      dims,
    );
  }

  int64s(hint: string, values: readonly number[]): string {
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    return this.initializer(hint, onnx.TensorProto.DataType.INT64, new Uint8Array(data.buffer), [values.length]);
  }

  /** Adds a node with one output, named after `hint`, and returns that output's name. */
  node(
    opType: string,
    inputs: readonly string[],
    hint: string,
    attributes: Record<string, AttributeValue> = {},
  ): string {
    return this.nodeInto(opType, inputs, this.unique(hint), attributes);
  }

  /** Adds a node writing to an output name already reserved (a graph output). */
  nodeInto(
    opType: string,
    inputs: readonly string[],
    output: string,
    attributes: Record<string, AttributeValue> = {},
  ): string {
    this.nodes.push({
      opType,
      name: output,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }

  encode(graphName: string, inputs: GraphValueInfo[], outputs: GraphValueInfo[]): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: "", version: OPSET }],
      producerName: "leukoflow",
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: inputs.map(valueInfo),
        output: outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private initializer(hint: string, dataType: number, rawData: Uint8Array, dims: readonly number[]): string {
    const name = this.unique(hint);
    this.initializers.push({ name, dataType, dims: [...dims], rawData });
    return name;
  }
}
