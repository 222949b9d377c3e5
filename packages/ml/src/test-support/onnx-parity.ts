import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { expect } from "vitest";
import type { OnnxModelSpec } from "@leukoflow/contracts";

type Outputs = Record<string, Float32Array>;

const softmax = (logits: Float32Array, classes: number): Float32Array =>
  tf.tidy(() => tf.softmax(tf.tensor2d(logits, [logits.length / classes, classes])).dataSync() as Float32Array);

/** The tfjs model's softmax and the activations the ONNX graph exposes, keyed by ONNX output name. */
function tfjsOutputs(model: tf.LayersModel, spec: OnnxModelSpec, x: tf.Tensor4D): Outputs {
  const dense = model.layers.findLast((layer) => layer.getClassName() === "Dense")!;
  const lastConv = model.layers.findLast(
    (layer) => (layer.outputShape as number[]).length === 4 && layer.getClassName() !== "InputLayer",
  );
  const named: [string, tf.SymbolicTensor][] = [
    ["probabilities", model.outputs[0]!],
    [spec.features!, dense.input as tf.SymbolicTensor],
  ];
  if (spec.lastConv && lastConv) named.push([spec.lastConv, lastConv.output as tf.SymbolicTensor]);
  for (const [layer, output] of Object.entries(spec.layerOutputs))
    named.push([output, model.getLayer(layer).output as tf.SymbolicTensor]);
  // tfjs refuses a model that lists one tensor twice (the features are often an OOD layer too).
  const distinct = [...new Set(named.map(([, tensor]) => tensor))];
  const results = tf.model({ inputs: model.inputs, outputs: distinct }).predict(x) as tf.Tensor[];
  const outputs = Object.fromEntries(
    named.map(([name, tensor]) => [name, results[distinct.indexOf(tensor)]!.dataSync() as Float32Array]),
  );
  tf.dispose(results);
  return outputs;
}

async function onnxOutputs(bytes: Uint8Array, x: tf.Tensor4D, classes: number): Promise<Outputs> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const results = await session.run({ input: new ort.Tensor("float32", x.dataSync() as Float32Array, x.shape) });
    const outputs = Object.fromEntries(
      Object.entries(results).map(([name, tensor]) => [name, tensor.data as Float32Array]),
    );
    return { ...outputs, probabilities: softmax(outputs.logits!, classes) };
  } finally {
    await session.release();
  }
}

/** Largest |a − b| over the elements, relative to the reference's largest magnitude where that exceeds 1. */
export function relativeMaxDifference(actual: Float32Array, expected: Float32Array): number {
  let difference = 0;
  let magnitude = 1;
  expected.forEach((value, i) => {
    difference = Math.max(difference, Math.abs(actual[i]! - value));
    magnitude = Math.max(magnitude, Math.abs(value));
  });
  return difference / magnitude;
}

export const SOFTMAX_TOLERANCE = 1e-4;

/**
 * Runs the exported graph in ONNX Runtime and the model in tfjs on the same normalized batch and
 * expects the softmax of the ONNX logits to equal the tfjs softmax to `softmaxTolerance` (1e-4), and every
 * other output (features, last_conv, layer/…) to equal the tfjs activation to `activationTolerance` relative to its scale.
 */
export async function expectOnnxParity(
  model: tf.LayersModel,
  bytes: Uint8Array,
  spec: OnnxModelSpec,
  x: tf.Tensor4D,
  activationTolerance = 1e-4,
  softmaxTolerance = SOFTMAX_TOLERANCE,
): Promise<void> {
  const classes = (model.outputs[0]!.shape as number[])[1]!;
  const expected = tfjsOutputs(model, spec, x);
  const actual = await onnxOutputs(bytes, x, classes);
  for (const [name, values] of Object.entries(expected)) {
    expect(actual[name], name).toBeDefined();
    expect(actual[name]!.length, name).toBe(values.length);
    const tolerance = name === "probabilities" ? softmaxTolerance : activationTolerance;
    expect(relativeMaxDifference(actual[name]!, values), name).toBeLessThanOrEqual(tolerance);
  }
}

/**
 * Gives a randomly initialised model non-trivial BatchNormalization and Normalization layers: in
 * one eager pass in network order, each BN's moving mean and variance become the statistics of
 * its input on `x` (after the BNs before it) and gamma and beta random; Normalization gets a
 * per-channel mean and variance of the input. Without this BN is close to the identity and
 * folding it would go untested.
 */
export function setNormalizationStatistics(model: tf.LayersModel, x: tf.Tensor4D, seed = 7): void {
  tf.tidy(() => {
    const values = new Map<number, tf.Tensor>([[model.inputs[0]!.id, x]]);
    for (const layer of model.layers.filter((l) => l.getClassName() !== "InputLayer")) {
      const inputs = layer.inboundNodes[0]!.inputTensors.map((t) => values.get(t.id)!);
      const input = inputs[0]!;
      const name = layer.getClassName();
      if (name === "BatchNormalization" || name === "Normalization") {
        const channels = input.shape.at(-1)!;
        const { mean, variance } = tf.moments(input.reshape([-1, channels]), 0);
        const random = (low: number, high: number): tf.Tensor =>
          tf.randomUniform([channels], low, high, "float32", seed++);
        // Over a few images a deep 1×1 activation can have almost no variance; a trained model's never does.
        const floored = tf.add(variance, tf.mul(tf.mean(variance), 0.1));
        const byName: Record<string, tf.Tensor> = {
          moving_mean: mean,
          moving_variance: floored,
          mean,
          variance: floored,
          gamma: random(0.8, 1.2),
          beta: random(-0.2, 0.2),
        };
        layer.setWeights(layer.weights.map((w) => byName[w.originalName.split("/").at(-1)!] ?? w.read()));
      }
      values.set(
        (layer.output as tf.SymbolicTensor).id,
        layer.apply(inputs.length === 1 ? input : inputs, { training: false }) as tf.Tensor,
      );
    }
  });
}
