import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seededRandom } from "@leukoflow/imaging";
import * as tf from "@tensorflow/tfjs";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { loadClassifier } from "../classifier.js";
import { importKerasModel } from "./import-keras-model.js";

const SIZE = 16;
const CLASSES = ["benign", "early_pre_b", "pre_b", "pro_b"];
const initializer = { class_name: "GlorotUniform", config: { seed: null } };

/** A Functional model's config as tf.keras 2.x writes it into model_config (BN axis as a list, initializer objects, groups). */
const MODEL_CONFIG = {
  class_name: "Functional",
  config: {
    name: "small_cnn",
    layers: [
      {
        class_name: "InputLayer",
        name: "image",
        inbound_nodes: [],
        config: {
          batch_input_shape: [null, SIZE, SIZE, 3],
          dtype: "float32",
          sparse: false,
          ragged: false,
          name: "image",
        },
      },
      {
        class_name: "Conv2D",
        name: "conv1",
        inbound_nodes: [[["image", 0, 0, {}]]],
        config: {
          name: "conv1",
          trainable: true,
          dtype: "float32",
          filters: 6,
          kernel_size: [3, 3],
          strides: [1, 1],
          padding: "same",
          data_format: "channels_last",
          dilation_rate: [1, 1],
          groups: 1,
          activation: "linear",
          use_bias: false,
          kernel_initializer: initializer,
          bias_initializer: { class_name: "Zeros", config: {} },
          kernel_regularizer: null,
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        },
      },
      {
        class_name: "BatchNormalization",
        name: "bn1",
        inbound_nodes: [[["conv1", 0, 0, {}]]],
        config: {
          name: "bn1",
          trainable: true,
          dtype: "float32",
          axis: [3],
          momentum: 0.99,
          epsilon: 0.001,
          center: true,
          scale: true,
          beta_initializer: { class_name: "Zeros", config: {} },
          gamma_initializer: { class_name: "Ones", config: {} },
          moving_mean_initializer: { class_name: "Zeros", config: {} },
          moving_variance_initializer: { class_name: "Ones", config: {} },
          beta_regularizer: null,
          gamma_regularizer: null,
          beta_constraint: null,
          gamma_constraint: null,
        },
      },
      {
        class_name: "Activation",
        name: "relu1",
        inbound_nodes: [[["bn1", 0, 0, {}]]],
        config: { name: "relu1", trainable: true, dtype: "float32", activation: "relu" },
      },
      {
        class_name: "Conv2D",
        name: "conv2",
        inbound_nodes: [[["relu1", 0, 0, {}]]],
        config: {
          name: "conv2",
          trainable: true,
          dtype: "float32",
          filters: 6,
          kernel_size: [3, 3],
          strides: [1, 1],
          padding: "same",
          data_format: "channels_last",
          dilation_rate: [1, 1],
          groups: 1,
          activation: "relu",
          use_bias: true,
          kernel_initializer: initializer,
          bias_initializer: { class_name: "Zeros", config: {} },
          kernel_regularizer: null,
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        },
      },
      {
        class_name: "Add",
        name: "add",
        inbound_nodes: [
          [
            ["relu1", 0, 0, {}],
            ["conv2", 0, 0, {}],
          ],
        ],
        config: { name: "add", trainable: true, dtype: "float32" },
      },
      {
        class_name: "GlobalAveragePooling2D",
        name: "gap",
        inbound_nodes: [[["add", 0, 0, {}]]],
        config: { name: "gap", trainable: true, dtype: "float32", data_format: "channels_last", keepdims: false },
      },
      {
        class_name: "Dense",
        name: "predictions",
        inbound_nodes: [[["gap", 0, 0, {}]]],
        config: {
          name: "predictions",
          trainable: true,
          dtype: "float32",
          units: 4,
          activation: "softmax",
          use_bias: true,
          kernel_initializer: initializer,
          bias_initializer: { class_name: "Zeros", config: {} },
          kernel_regularizer: null,
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        },
      },
    ],
    input_layers: [["image", 0, 0]],
    output_layers: [["predictions", 0, 0]],
  },
};

/** Per layer, its weights in Keras order with shapes; values are drawn from a seeded generator. */
const WEIGHT_SHAPES: [layer: string, weights: [string, number[]][]][] = [
  ["conv1", [["kernel", [3, 3, 3, 6]]]],
  [
    "bn1",
    [
      ["gamma", [6]],
      ["beta", [6]],
      ["moving_mean", [6]],
      ["moving_variance", [6]],
    ],
  ],
  [
    "conv2",
    [
      ["kernel", [3, 3, 6, 6]],
      ["bias", [6]],
    ],
  ],
  [
    "predictions",
    [
      ["kernel", [6, 4]],
      ["bias", [4]],
    ],
  ],
];

function weightValues(): Map<string, Float32Array[]> {
  const random = seededRandom(17);
  return new Map(
    WEIGHT_SHAPES.map(([layer, weights]) => [
      layer,
      weights.map(([name, shape]) => {
        const size = shape.reduce((a, b) => a * b, 1);
        // Variances must be positive; everything else centred on 0.
        return Float32Array.from({ length: size }, () =>
          name === "moving_variance" ? 0.5 + random() : random() - 0.5,
        );
      }),
    ]),
  );
}

/** Writes the file the way Keras' legacy HDF5 saver lays it out. */
async function writeKerasH5(file: string, values: Map<string, Float32Array[]>): Promise<void> {
  await h5wasm.ready;
  const h5 = new h5wasm.File(file, "w");
  h5.create_attribute("keras_version", "2.12.0");
  h5.create_attribute("backend", "tensorflow");
  h5.create_attribute("model_config", JSON.stringify(MODEL_CONFIG));
  const root = h5.create_group("model_weights");
  const layerNames = MODEL_CONFIG.config.layers.map((layer) => layer.name);
  root.create_attribute("layer_names", layerNames);
  for (const layerName of layerNames) {
    const group = root.create_group(layerName);
    const weights = WEIGHT_SHAPES.find(([name]) => name === layerName)?.[1] ?? [];
    group.create_attribute(
      "weight_names",
      weights.map(([name]) => `${layerName}/${name}:0`),
    );
    if (weights.length === 0) continue;
    const inner = group.create_group(layerName);
    weights.forEach(([name, shape], i) =>
      inner.create_dataset({ name: `${name}:0`, data: values.get(layerName)![i]!, shape, dtype: "<f" }),
    );
  }
  h5.close();
}

/** The same network written directly with tf.layers, for comparison. */
function referenceModel(values: Map<string, Float32Array[]>): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  const conv1 = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: "same", useBias: false });
  const bn1 = tf.layers.batchNormalization({ epsilon: 0.001 });
  const conv2 = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: "same", activation: "relu" });
  const dense = tf.layers.dense({ units: 4, activation: "softmax" });
  const relu1 = tf.layers.activation({ activation: "relu" }).apply(bn1.apply(conv1.apply(input))) as tf.SymbolicTensor;
  const added = tf.layers.add().apply([relu1, conv2.apply(relu1) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const output = dense.apply(tf.layers.globalAveragePooling2d({}).apply(added)) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  for (const [layer, name] of [
    [conv1, "conv1"],
    [bn1, "bn1"],
    [conv2, "conv2"],
    [dense, "predictions"],
  ] as const) {
    const shapes = WEIGHT_SHAPES.find(([n]) => n === name)![1];
    layer.setWeights(values.get(name)!.map((data, i) => tf.tensor(data, shapes[i]![1])));
  }
  return model;
}

describe("importKerasModel", () => {
  let dir: string;
  beforeAll(async () => {
    expect(await selectBackend("wasm", () => {})).toBe("wasm");
    dir = mkdtempSync(path.join(tmpdir(), "leukoflow-keras-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("converts a Keras HDF5 model to a LeukoFlow model whose predictions equal the same network built in tfjs", async () => {
    const values = weightValues();
    const h5File = path.join(dir, "model.h5");
    await writeKerasH5(h5File, values);
    const outDir = path.join(dir, "imported");
    const normalization = { scale: 1 / 255, offset: 0, description: "x/255" };
    const result = await importKerasModel({
      h5File,
      outDir,
      name: "keras-small",
      classes: CLASSES,
      malignantClasses: CLASSES.slice(1),
      normalization,
      stainNormalization: "reinhard",
    });
    expect(result.inputSize).toBe(SIZE);

    const random = seededRandom(3);
    const images = Array.from({ length: 5 }, (_, n) =>
      Uint8Array.from({ length: SIZE * SIZE * 3 }, () => Math.floor(random() * 51 * (n + 1))),
    );
    const classifier = await loadClassifier(outDir, { log: () => {} });
    const imported = await classifier.predict(images);
    classifier.dispose();
    const reference = referenceModel(values);
    const expected = tf.tidy(
      () =>
        (
          reference.predict(
            tf.tensor4d(
              images.flatMap((image) => Array.from(image, (v) => v / 255)),
              [5, SIZE, SIZE, 3],
            ),
          ) as tf.Tensor
        ).arraySync() as number[][],
    );
    reference.dispose();
    imported.forEach((row, i) => row.forEach((p, c) => expect(p).toBeCloseTo(expected[i]![c]!, 5)));
    // The outputs differ between images, so equal rows are not a constant-output accident.
    expect(Math.max(...expected[0]!.map((p, c) => Math.abs(p - expected[4]![c]!)))).toBeGreaterThan(1e-3);

    const meta = JSON.parse(readFileSync(path.join(outDir, "leukoflow-model.json"), "utf8"));
    expect(meta).toMatchObject({
      name: "keras-small",
      classes: CLASSES,
      inputSize: SIZE,
      stainNormalization: "reinhard",
      parameters: result.parameters,
    });
    expect(result.parameters).toBe(3 * 3 * 3 * 6 + 4 * 6 + 3 * 3 * 6 * 6 + 6 + 6 * 4 + 4);
  });

  it("refuses a weights-only file with a clear message", async () => {
    await h5wasm.ready;
    const file = path.join(dir, "weights-only.h5");
    const h5 = new h5wasm.File(file, "w");
    h5.create_group("model_weights");
    h5.close();
    await expect(
      importKerasModel({
        h5File: file,
        outDir: path.join(dir, "x"),
        name: "x",
        classes: CLASSES,
        malignantClasses: [],
        normalization: { scale: 1, offset: 0, description: "" },
      }),
    ).rejects.toThrow(/model_config/);
  });
});
