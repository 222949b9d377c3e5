import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../backend.js";
import { decodeToModelInput } from "../../data/decode-to-model-input.js";
import { heldOutImagePaths } from "../../data/held-out-images.js";
import { loadServingModel } from "../load-serving-model.js";
import { loadServingClassifier, type ServingClassifier } from "../serving-classifier.js";
import { readModelMetadata, writeModelMetadata } from "../../model/model-metadata.js";
import { saveModelFiles } from "../../model/model-files.js";
import { exportModelOnnx } from "../../onnx/export/write-model-onnx.js";
import { loadOnnxServingClassifier } from "./onnx-serving-classifier.js";
import { OnnxModelLoadError } from "./onnx-session.js";
import { ariaOriginalDir, modelsDir } from "@leukoflow/shared";

const SERVED_MODEL = path.join(modelsDir(), "aria-robust-cnn-112");
const ARIA = ariaOriginalDir();

function maxAbsDifference(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  let largest = 0;
  a.forEach((row, i) =>
    Array.from(row).forEach((value, j) => (largest = Math.max(largest, Math.abs(value - b[i]![j]!)))),
  );
  return largest;
}

/** A copy of a model folder with model.onnx exported beside its tfjs files. */
async function exportedCopy(modelDir: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lf-onnx-serving-"));
  await cp(modelDir, dir, { recursive: true });
  await exportModelOnnx(dir);
  return dir;
}

describe("ONNX Runtime serving of the served model on held-out images", () => {
  let dir: string;
  let onnx: ServingClassifier;
  let tfjs: ServingClassifier;
  let images: Uint8Array[];

  beforeAll(async () => {
    await selectBackend("wasm", () => {});
    dir = await exportedCopy(SERVED_MODEL);
    onnx = await loadOnnxServingClassifier(dir, { provider: "cpu" });
    tfjs = await loadServingClassifier(dir);
    const heldOut = await heldOutImagePaths(ARIA, onnx.meta);
    const picked = onnx.meta.classes.flatMap((label) =>
      heldOut.filter((file) => path.basename(path.dirname(file)) === label).slice(0, 4),
    );
    images = await Promise.all(
      picked.map(async (file) =>
        decodeToModelInput(await readFile(file), { inputSize: onnx.meta.inputSize, stainNormalization: "none" }),
      ),
    );
  });

  afterAll(async () => {
    onnx?.dispose();
    tfjs?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs on the cpu provider and scores like tfjs: temperature softmax under each TTA mode, and the OOD score", async () => {
    expect(onnx.engine).toEqual({ name: "onnx", device: "cpu" });
    expect(onnx.temperature).not.toBe(1);
    for (const tta of ["none", "flips", "dihedral"] as const) {
      const [fromOnnx, fromTfjs] = [await onnx.score(images, tta), await tfjs.score(images, tta)];
      expect(
        maxAbsDifference(
          fromOnnx.map((s) => s.probabilities),
          fromTfjs.map((s) => s.probabilities),
        ),
      ).toBeLessThan(1e-4);
      expect(fromOnnx.map((s) => s.probabilities.indexOf(Math.max(...s.probabilities)))).toEqual(
        fromTfjs.map((s) => s.probabilities.indexOf(Math.max(...s.probabilities))),
      );
      // Standardised distances of a few units, pooled in float64 here and float32 in tfjs.
      expect(
        maxAbsDifference(
          fromOnnx.map((s) => [s.oodScore!]),
          fromTfjs.map((s) => [s.oodScore!]),
        ),
      ).toBeLessThan(1e-2);
    }
  });

  it("computes Grad-CAM from the last conv output and the Dense kernel, equal to tfjs' gradients to 1e-4", async () => {
    const classes = images.map((_, i) => i % onnx.meta.classes.length);
    const [fromOnnx, fromTfjs] = [await onnx.gradCam(images, classes), await tfjs.gradCam(images, classes)];
    expect(fromOnnx[0]).toHaveLength(onnx.meta.inputSize ** 2);
    expect(fromOnnx.every((map) => map.some((value) => value > 0.99))).toBe(true);
    expect(maxAbsDifference(fromOnnx, fromTfjs)).toBeLessThan(1e-4);
  });

  it("leaves no tfjs tensor behind", async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const scores = await onnx.score(images.slice(0, 4), "flips");
      await onnx.gradCam(
        images.slice(0, 4),
        scores.map(() => 0),
      );
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("loadServingModel: which engine serves a model folder", () => {
  const log: string[] = [];
  const options = { engine: "onnx" as const, log: (line: string) => log.push(line) };
  const dirs: string[] = [];
  const copy = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(tmpdir(), "lf-onnx-engine-"));
    dirs.push(dir);
    await cp(SERVED_MODEL, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    await selectBackend("wasm", () => {});
  });

  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("serves a model published before model.onnx with tfjs and says so once", async () => {
    const dir = await copy();
    const meta = await readModelMetadata(dir);
    await rm(path.join(dir, "model.onnx"), { force: true });
    await writeModelMetadata(dir, { ...meta, onnx: undefined, version: "9.9.9-no-onnx" });
    for (let i = 0; i < 2; i++) {
      const classifier = await loadServingModel(dir, options);
      expect(classifier.engine.name).toBe("tfjs");
      classifier.dispose();
    }
    expect(log.filter((line) => line.includes("9.9.9-no-onnx"))).toEqual([
      expect.stringMatching(/no model\.onnx.*served by tfjs/),
    ]);
  });

  it("refuses a corrupt model.onnx with an error that names the model and the file", async () => {
    const dir = await copy();
    await exportModelOnnx(dir);
    await writeFile(path.join(dir, "model.onnx"), (await readFile(path.join(dir, "model.onnx"))).subarray(0, 4096));
    const loading = loadServingModel(dir, options);
    await expect(loading).rejects.toThrow(OnnxModelLoadError);
    await expect(loading).rejects.toThrow(/aria-robust-cnn-112@[\d.]+ \(.*model\.onnx\) does not load in ONNX Runtime/);
  });

  it("falls back to tfjs gradients for Grad-CAM when the head is not pooling then Dense, and says so", async () => {
    const dir = await copy();
    const input = tf.input({ shape: [112, 112, 3] });
    const conv = tf.layers
      .conv2d({ filters: 8, kernelSize: 3, strides: 4, activation: "relu", name: "conv" })
      .apply(input) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(conv) as tf.SymbolicTensor;
    const hidden = tf.layers.dense({ units: 6, activation: "relu", name: "hidden" }).apply(pooled) as tf.SymbolicTensor;
    const output = tf.layers
      .dense({ units: 4, activation: "softmax", name: "classes" })
      .apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    await saveModelFiles(model, dir);
    model.dispose();
    const meta = await readModelMetadata(dir);
    await rm(path.join(dir, "ood-statistics.bin"));
    await writeModelMetadata(dir, { ...meta, name: "two-dense-head", ood: undefined, temperature: undefined });
    await exportModelOnnx(dir);
    const onnx = await loadServingModel(dir, options);
    const tfjs = await loadServingClassifier(dir);
    try {
      expect(onnx.engine.name).toBe("onnx");
      expect(log).toContainEqual(expect.stringMatching(/two-dense-head@.*Grad-CAM through tfjs gradients/));
      const image = new Uint8Array(112 * 112 * 3).map((_, i) => (i * 37) % 256);
      expect(maxAbsDifference(await onnx.gradCam([image], [2]), await tfjs.gradCam([image], [2]))).toBeLessThan(1e-6);
    } finally {
      onnx.dispose();
      tfjs.dispose();
    }
  });
});
