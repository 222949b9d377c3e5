import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../backend.js";
import { decodeToModelInput } from "../../data/decode-to-model-input.js";
import { modelInputSpec, readModelMetadata, type InputNormalization } from "../../model-metadata.js";
import { expectOnnxParity } from "../../test-support/onnx-parity.js";
import { imagesToInputTensor } from "../../model/input-tensor.js";
import { loadModelFiles } from "../../model/model-files.js";
import { UnsupportedLayerError } from "./export-errors.js";
import { exportOnnx } from "./export-onnx.js";

const MODELS_DIR = path.resolve(import.meta.dirname, "../../../../../models");
const ARIA = path.resolve(import.meta.dirname, "../../../../../../shared/datasets/all-aria/original");
const SHIPPED = ["aria-cnn-v1", "aria-cnn5-v1", "aria-robust-cnn", "aria-robust-cnn-112"];

/** Two real images of each class (files far apart), decoded at `inputSize`. */
async function ariaBatch(inputSize: number, normalization: InputNormalization): Promise<tf.Tensor4D> {
  const images: Uint8Array[] = [];
  for (const label of await readdir(ARIA)) {
    const files = (await readdir(path.join(ARIA, label))).sort();
    for (const file of [files[3]!, files.at(-4)!]) {
      images.push(await decodeToModelInput(await readFile(path.join(ARIA, label, file)), { inputSize, stainNormalization: "none" }));
    }
  }
  return imagesToInputTensor(images, inputSize, normalization);
}

describe("ONNX export of the shipped models", () => {
  beforeAll(async () => {
    await selectBackend("wasm", () => {});
  });

  it.each(SHIPPED)("%s gives tfjs' softmax, features, last_conv and OOD layers through ONNX Runtime", async (name) => {
    const dir = path.join(MODELS_DIR, name);
    const meta = await readModelMetadata(dir);
    const model = await loadModelFiles(dir);
    const layers = ((meta.ood as { layers?: { name: string }[] } | undefined)?.layers ?? []).map((layer) => layer.name);
    const { bytes, spec } = exportOnnx(model, { layerOutputs: layers });
    expect(Object.keys(spec.layerOutputs)).toEqual(layers);
    const x = await ariaBatch(modelInputSpec(meta).inputSize, meta.normalization);
    await expectOnnxParity(model, bytes, spec, x);
    tf.dispose(x);
    model.dispose();
  });
});

describe("ONNX export of layers outside the model zoo", () => {
  beforeAll(async () => {
    await selectBackend("wasm", () => {});
  });

  it("refuses a layer it cannot translate, naming the layer and its class", () => {
    const input = tf.input({ shape: [8, 8, 3] });
    let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, name: "conv" }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.upSampling2d({ size: [2, 2], name: "enlarge" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, activation: "softmax" }).apply(x) as tf.SymbolicTensor });
    expect(() => exportOnnx(model)).toThrow(UnsupportedLayerError);
    expect(() => exportOnnx(model)).toThrow(/layer "enlarge" \(UpSampling2D\)/);
    model.dispose();
  });
});
