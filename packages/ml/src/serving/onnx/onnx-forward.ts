import { existsSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Tensor, type InferenceSession } from "onnxruntime-node";
import type { OnnxModelSpec } from "@leukoflow/contracts";

/** Where the model's ONNX graph is, or null for a model without one (published before ONNX serving). */
export function onnxModelFile(modelDir: string, spec: OnnxModelSpec | null): string | null {
  const file = spec && path.join(modelDir, spec.file);
  return file && existsSync(file) ? file : null;
}

/** A batch as a plain float32 array and its dims. */
export interface PlainTensor {
  data: Float32Array;
  dims: readonly number[];
}

/** Runs the graph on an NHWC batch and returns the named outputs as the graph gives them (spatial ones in spec.layout). */
export type OnnxForward = (input: PlainTensor, outputs: readonly string[]) => Promise<Record<string, PlainTensor>>;

function nhwcToNchw({ data, dims }: PlainTensor): PlainTensor {
  const [n, h, w, c] = dims as [number, number, number, number];
  const out = new Float32Array(data.length);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < h * w; p++) {
      for (let k = 0; k < c; k++) out[(i * c + k) * h * w + p] = data[(i * h * w + p) * c + k]!;
    }
  }
  return { data: out, dims: [n, c, h, w] };
}

export function onnxForward(session: InferenceSession, spec: OnnxModelSpec): OnnxForward {
  return async (input, outputs) => {
    const { data, dims } = spec.layout === "NCHW" ? nhwcToNchw(input) : input;
    const results = await session.run({ [spec.input]: new Tensor("float32", data, dims) }, [...new Set(outputs)]);
    return Object.fromEntries(
      Object.entries(results).map(([name, value]) => [name, { data: value.data as Float32Array, dims: value.dims }]),
    );
  };
}

/** A spatial output as the NHWC tfjs tensor the shared Grad-CAM code takes. */
export function nhwcTensor({ data, dims }: PlainTensor, layout: OnnxModelSpec["layout"]): tf.Tensor4D {
  const value = tf.tensor4d(data, dims as [number, number, number, number]);
  if (layout === "NHWC") return value;
  return tf.tidy(() => tf.transpose(value, [0, 2, 3, 1]));
}
