import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../backend.js";
import { decodeToModelInput } from "../../data/decode-to-model-input.js";
import { modelInputSpec, readModelMetadata } from "../../model/model-metadata.js";
import { expectOnnxParity, setNormalizationStatistics } from "../../test-support/onnx-parity.js";
import { imagesToInputTensor } from "../../model/input-tensor.js";
import { loadModelFiles } from "../../model/model-files.js";
import { UnsupportedLayerError } from "./export-errors.js";
import { exportOnnx } from "./export-onnx.js";
import { ariaOriginalDir, modelsDir } from "@leukoflow/shared";
import type { InputNormalization } from "@leukoflow/contracts";

const MODELS_DIR = modelsDir();
const ARIA = ariaOriginalDir();
const SHIPPED = ["aria-cnn-v1", "aria-cnn5-v1", "aria-robust-cnn", "aria-robust-cnn-112"];

/** Two real images of each class (files far apart), decoded at `inputSize`. */
async function ariaBatch(inputSize: number, normalization: InputNormalization): Promise<tf.Tensor4D> {
  const images: Uint8Array[] = [];
  for (const label of await readdir(ARIA)) {
    const files = (await readdir(path.join(ARIA, label))).sort();
    for (const file of [files[3]!, files.at(-4)!]) {
      images.push(
        await decodeToModelInput(await readFile(path.join(ARIA, label, file)), {
          inputSize,
          stainNormalization: "none",
        }),
      );
    }
  }
  return imagesToInputTensor(images, inputSize, normalization);
}

describe("ONNX export of the shipped models", () => {
  beforeAll(async () => {
    await selectBackend("wasm", () => {});
  });

  it.each(SHIPPED)(
    "%s: its model.onnx gives tfjs' softmax, features, last_conv and OOD layers through ONNX Runtime",
    async (name) => {
      const dir = path.join(MODELS_DIR, name);
      const meta = await readModelMetadata(dir);
      const model = await loadModelFiles(dir);
      const layers = ((meta.ood as { layers?: { name: string }[] } | undefined)?.layers ?? []).map(
        (layer) => layer.name,
      );
      const { bytes, spec } = exportOnnx(model, { layerOutputs: layers });
      expect(Object.keys(spec.layerOutputs)).toEqual(layers);
      // The shipped model.onnx and onnx block are what the exporter writes today.
      expect(meta.onnx).toEqual(spec);
      expect(Buffer.from(bytes).equals(await readFile(path.join(dir, spec.file)))).toBe(true);
      const x = await ariaBatch(modelInputSpec(meta).inputSize, meta.normalization);
      await expectOnnxParity(model, bytes, spec, x);
      tf.dispose(x);
      model.dispose();
    },
  );
});

const layer = (created: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor =>
  created.apply(x) as tf.SymbolicTensor;

/**
 * Every translation the zoo does not reach, on an odd input side so that strided "same" windows
 * pad asymmetrically: other activations, strided/dilated/multiplied convolutions with biases and
 * fused activations, pooling variants, merges of flat tensors, BN after a Dense, Reshape, Flatten
 * and a head whose softmax is a layer of its own.
 */
function layerCatalogue(): tf.LayersModel {
  const input = tf.input({ shape: [15, 15, 3] });
  let x = layer(tf.layers.rescaling({ scale: 2, offset: -1 }), input);
  x = layer(
    tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: "same", activation: "tanh", name: "strided" }),
    x,
  );
  x = layer(tf.layers.batchNormalization({ name: "bn_after_activation" }), x);
  x = layer(
    tf.layers.depthwiseConv2d({
      kernelSize: 3,
      depthMultiplier: 2,
      padding: "same",
      activation: "elu",
      name: "depthwise_x2",
    }),
    x,
  );
  x = layer(
    tf.layers.separableConv2d({
      filters: 8,
      kernelSize: 3,
      depthMultiplier: 2,
      padding: "same",
      activation: "selu",
      name: "separable_x2",
    }),
    x,
  );
  x = layer(
    tf.layers.conv2d({
      filters: 8,
      kernelSize: 3,
      dilationRate: 2,
      padding: "same",
      activation: "softplus",
      name: "dilated",
    }),
    x,
  );
  x = layer(tf.layers.leakyReLU({ alpha: 0.2 }), x);
  const averaged = layer(tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: "same" }), x);
  const maxed = layer(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: "same" }), x);
  let y = layer(tf.layers.concatenate({ axis: -1 }), [averaged, maxed]);
  y = layer(tf.layers.activation({ activation: "softsign" }), y);
  y = layer(tf.layers.activation({ activation: "hardSigmoid" }), y);
  y = layer(tf.layers.conv2d({ filters: 4, kernelSize: 1, activation: "mish", name: "mish" }), y);
  y = layer(tf.layers.softmax({ axis: -1 }), y);
  const flat = layer(tf.layers.flatten(), y);
  const globalMax = layer(tf.layers.globalMaxPooling2d({}), y);
  const gap = layer(tf.layers.globalAveragePooling2d({}), x);
  const reshaped = layer(tf.layers.reshape({ targetShape: [2, 2, 2] }), gap);
  const reflat = layer(tf.layers.flatten(), layer(tf.layers.elu({}), reshaped));
  const merged = [
    layer(tf.layers.maximum(), [reflat, gap]),
    layer(tf.layers.minimum(), [reflat, gap]),
    layer(tf.layers.average(), [reflat, gap]),
  ];
  let z = layer(tf.layers.concatenate({}), [...merged, flat, globalMax]);
  z = layer(tf.layers.dense({ units: 16, activation: "sigmoid" }), z);
  z = layer(tf.layers.batchNormalization({ name: "flat_bn" }), z);
  z = layer(tf.layers.reLU({ maxValue: 1.5 }), z);
  z = layer(tf.layers.dense({ units: 3, name: "logits_dense" }), z);
  return tf.model({ inputs: input, outputs: layer(tf.layers.activation({ activation: "softmax" }), z) });
}

describe("ONNX export of layers outside the model zoo", () => {
  beforeAll(async () => {
    await selectBackend("wasm", () => {});
  });

  it("translates the other layers and activations as tfjs computes them", async () => {
    const model = layerCatalogue();
    const x = await ariaBatch(15, { scale: 1 / 255, offset: 0, description: "bytes / 255" });
    setNormalizationStatistics(model, x);
    const { bytes, spec } = exportOnnx(model, {
      layerOutputs: ["strided", "depthwise_x2", "separable_x2", "dilated", "flat_bn"],
    });
    await expectOnnxParity(model, bytes, spec, x);
    tf.dispose(x);
    model.dispose();
  });

  it("translates a Sequential model (its layers leave out the InputLayer)", async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [15, 15, 3], filters: 4, kernelSize: 3, useBias: false }),
        tf.layers.batchNormalization({}),
        tf.layers.activation({ activation: "relu" }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 3, activation: "softmax" }),
      ],
    });
    const x = await ariaBatch(15, { scale: 1 / 255, offset: 0, description: "bytes / 255" });
    setNormalizationStatistics(model, x);
    const { bytes, spec } = exportOnnx(model);
    await expectOnnxParity(model, bytes, spec, x);
    tf.dispose(x);
    model.dispose();
  });

  it("refuses a layer it cannot translate, naming the layer and its class", () => {
    const input = tf.input({ shape: [8, 8, 3] });
    let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, name: "conv" }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.upSampling2d({ size: [2, 2], name: "enlarge" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
    const model = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 2, activation: "softmax" }).apply(x) as tf.SymbolicTensor,
    });
    expect(() => exportOnnx(model)).toThrow(UnsupportedLayerError);
    expect(() => exportOnnx(model)).toThrow(/layer "enlarge" \(UpSampling2D\)/);
    model.dispose();
  });

  it("refuses a model nested in the model, naming it", () => {
    const innerInput = tf.input({ shape: [8, 8, 3] });
    const inner = tf.model({
      inputs: innerInput,
      outputs: tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(innerInput) as tf.SymbolicTensor,
      name: "backbone",
    });
    const input = tf.input({ shape: [8, 8, 3] });
    const pooled = tf.layers.globalAveragePooling2d({}).apply(inner.apply(input)) as tf.SymbolicTensor;
    const model = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 2, activation: "softmax" }).apply(pooled) as tf.SymbolicTensor,
    });
    expect(() => exportOnnx(model)).toThrow(/layer "backbone" \(\w+\) is a model nested in the model/);
    model.dispose();
  });
});
