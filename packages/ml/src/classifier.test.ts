import { readFile } from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadClassifier, type Classifier } from "./classifier.js";
import { decodeToModelInput } from "./data/decode-to-model-input.js";
import { listImageFolder, type ImageEntry } from "./data/list-image-folder.js";
import { loadImages } from "./data/load-images.js";
import { modelInputSpec } from "./model/model-metadata.js";
import { argmax } from "./evaluation/metrics.js";
import { datasetsDir, modelsDir } from "@leukoflow/shared";

const SHIPPED_MODEL = path.join(modelsDir(), "aria-cnn-v1");
const DATASETS = datasetsDir();

describe("shipped model aria-cnn-v1", () => {
  let classifier: Classifier;
  let heldOut: ImageEntry[];
  let images: Uint8Array[];

  beforeAll(async () => {
    classifier = await loadClassifier(SHIPPED_MODEL, { backend: "wasm", log: () => {} });
    const { meta } = classifier;
    const all = await listImageFolder(path.join(DATASETS, meta.validation.dataset), meta.classes);
    heldOut = all.filter((entry) =>
      meta.validation.heldOutRanges.some(
        (range) =>
          range.className === entry.className &&
          entry.fileNumber >= range.firstFileNumber &&
          entry.fileNumber <= range.lastFileNumber,
      ),
    );
    images = await loadImages(
      heldOut.map((entry) => entry.path),
      modelInputSpec(meta),
    );
  });

  afterAll(() => classifier.dispose());

  it("re-selects exactly the held-out images its metadata reports on", () => {
    expect(heldOut.length).toBe(classifier.meta.validation.images);
    expect(heldOut.length).toBeGreaterThanOrEqual(40);
  });

  it("reproduces the reported held-out accuracy in inference mode", async () => {
    const probabilities = await classifier.predict(images);
    const correct = probabilities.filter((row, i) => argmax(row) === heldOut[i]!.label).length;
    expect(correct / heldOut.length).toBeCloseTo(classifier.meta.metrics!.accuracy, 2);
    for (const row of probabilities) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it("leaves no tensors behind", async () => {
    await classifier.predict(images.slice(0, 8));
    const before = tf.memory().numTensors;
    await classifier.predict(images.slice(0, 8));
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects images of the wrong size", async () => {
    await expect(classifier.predict([new Uint8Array(10)])).rejects.toThrow(/expected/);
  });

  it("decodes an image file to the input it was evaluated on", async () => {
    const bytes = await decodeToModelInput(await readFile(heldOut[0]!.path), modelInputSpec(classifier.meta));
    expect(bytes.length).toBe(classifier.meta.inputSize ** 2 * 3);
    expect(bytes).toEqual(images[0]);
  });
});
