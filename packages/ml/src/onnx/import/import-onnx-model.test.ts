import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import onnxProto from "onnx-proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../backend.js";
import { decodeToModelInput } from "../../data/decode-to-model-input.js";
import { heldOutImagePaths } from "../../data/held-out-images.js";
import { loadServingModel } from "../../serving/load-serving-model.js";
import { calibrateModelOod } from "../../ood/calibrate-model-ood.js";
import { loadServingClassifier, type ServingClassifier } from "../../serving/serving-classifier.js";
import { readModelMetadata, writeModelMetadata } from "../../model/model-metadata.js";
import { calibrateModelTemperature } from "../../training/calibrate-model.js";
import { exportModelOnnx } from "../export/write-model-onnx.js";
import { importOnnxModel } from "./import-onnx-model.js";
import { ariaOriginalDir, modelsDir } from "@leukoflow/shared";

const { onnx } = onnxProto;
const SOURCE_MODEL = path.join(modelsDir(), "aria-robust-cnn-112");
const ARIA = ariaOriginalDir();
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/**
 * The exported graph of a model that takes byte / 255 in NHWC, rebuilt as a PyTorch-style model
 * would come: NCHW input normalized (byte / 255 − mean) / std, a softmax output instead of logits,
 * the last conv map in NCHW, and outputs named otherwise.
 */
function pytorchStyle(bytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph!;
  const constant = (name: string, values: number[]): onnxProto.onnx.ITensorProto => ({
    name,
    dataType: onnx.TensorProto.DataType.FLOAT,
    dims: [1, 3, 1, 1],
    floatData: values,
  });
  for (const node of graph.node!)
    node.input = node.input!.map((name) => (name === "input" ? "byte_scaled_nhwc" : name));
  graph.initializer!.push(constant("import/std", STD), constant("import/mean", MEAN));
  graph.node!.unshift(
    { opType: "Mul", input: ["pixels", "import/std"], output: ["import/unstd"], name: "import/unstd" },
    { opType: "Add", input: ["import/unstd", "import/mean"], output: ["byte_scaled"], name: "import/unmean" },
    {
      opType: "Transpose",
      input: ["byte_scaled"],
      output: ["byte_scaled_nhwc"],
      name: "import/nhwc",
      attribute: [{ name: "perm", type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 2, 3, 1] }],
    },
  );
  graph.node!.push(
    {
      opType: "Softmax",
      input: ["logits"],
      output: ["probs"],
      name: "import/softmax",
      attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
    },
    { opType: "Identity", input: ["features"], output: ["feats"], name: "import/feats" },
    {
      opType: "Transpose",
      input: ["last_conv"],
      output: ["cam_map"],
      name: "import/nchw",
      attribute: [{ name: "perm", type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 3, 1, 2] }],
    },
  );
  const size = graph.input![0]!.type!.tensorType!.shape!.dim![1]!.dimValue;
  graph.input = [
    {
      name: "pixels",
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: [{ dimParam: "N" }, { dimValue: 3 }, { dimValue: size }, { dimValue: size }] },
        },
      },
    },
  ];
  const output = (name: string): onnxProto.onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } },
  });
  graph.output = ["probs", "feats", "cam_map"].map(output);
  return onnx.ModelProto.encode(model).finish();
}

function maxAbsDifference(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  let largest = 0;
  a.forEach((row, i) =>
    Array.from(row).forEach((value, j) => (largest = Math.max(largest, Math.abs(value - b[i]![j]!)))),
  );
  return largest;
}

describe("import-onnx: a PyTorch-style NCHW model with mean/std normalization and a softmax output", () => {
  const dirs: string[] = [];
  let importedDir: string;
  let source: ServingClassifier;
  let images: Uint8Array[];

  beforeAll(async () => {
    await selectBackend("wasm", () => {});
    const sourceDir = await mkdtemp(path.join(tmpdir(), "lf-onnx-source-"));
    importedDir = await mkdtemp(path.join(tmpdir(), "lf-onnx-imported-"));
    dirs.push(sourceDir, importedDir);
    await cp(SOURCE_MODEL, sourceDir, { recursive: true });
    // The source at temperature 1, as an imported model is before `models calibrate`.
    await writeModelMetadata(sourceDir, { ...(await readModelMetadata(sourceDir)), temperature: undefined });
    await exportModelOnnx(sourceDir);
    const onnxFile = path.join(sourceDir, "pytorch-style.onnx");
    await writeFile(onnxFile, pytorchStyle(await readFile(path.join(sourceDir, "model.onnx"))));
    const meta = await importOnnxModel({
      onnxFile,
      outDir: importedDir,
      name: "pytorch-style",
      version: "1.0.0",
      classes: ["benign", "early_pre_b", "pre_b", "pro_b"],
      malignantClasses: ["early_pre_b", "pre_b", "pro_b"],
      inputSize: 112,
      layout: "NCHW",
      normalization: {
        scale: 1 / 255,
        mean: MEAN as [number, number, number],
        std: STD as [number, number, number],
        description: "(RGB / 255 − ImageNet mean) / std",
      },
      probabilitiesOutput: "probs",
      featureOutput: "feats",
      lastConvOutput: "cam_map",
      splitOf: SOURCE_MODEL,
    });
    expect(meta.onnx).toMatchObject({
      input: "pixels",
      layout: "NCHW",
      probabilities: "probs",
      features: "feats",
      lastConv: "cam_map",
    });
    source = await loadServingClassifier(sourceDir);
    const heldOut = await heldOutImagePaths(ARIA, source.meta);
    const picked = source.meta.classes.flatMap((label) =>
      heldOut.filter((file) => path.basename(path.dirname(file)) === label).slice(0, 4),
    );
    images = await Promise.all(
      picked.map(async (file) =>
        decodeToModelInput(await readFile(file), { inputSize: 112, stainNormalization: "none" }),
      ),
    );
  });

  afterAll(async () => {
    source?.dispose();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("serves on ONNX Runtime and classifies real images as the source model does, Grad-CAM included", async () => {
    const imported = await loadServingModel(importedDir, { engine: "onnx" });
    try {
      expect(imported.engine.name).toBe("onnx");
      const [mine, theirs] = [await imported.score(images, "flips"), await source.score(images, "flips")];
      expect(
        maxAbsDifference(
          mine.map((s) => s.probabilities),
          theirs.map((s) => s.probabilities),
        ),
      ).toBeLessThan(1e-4);
      const winners = theirs.map((s) => s.probabilities.indexOf(Math.max(...s.probabilities)));
      expect(mine.map((s) => s.probabilities.indexOf(Math.max(...s.probabilities)))).toEqual(winners);
      expect(
        maxAbsDifference(await imported.gradCam(images, winners), await source.gradCam(images, winners)),
      ).toBeLessThan(1e-4);
    } finally {
      imported.dispose();
    }
  });

  it("calibrates its temperature and its OOD detector on the named feature output, then scores with both", async () => {
    const dataDir = ARIA;
    const temperature = await calibrateModelTemperature(importedDir, dataDir);
    const shipped = await readModelMetadata(SOURCE_MODEL);
    // Same logits and the same monitor blocks as the source's own calibration.
    expect(temperature.temperature).toBeCloseTo(shipped.temperature as number, 2);
    const ood = await calibrateModelOod({ modelDir: importedDir, dataDir, version: "1.1.0", layers: ["feats"] });
    expect(ood.layers.map((layer) => [layer.name, layer.dimensions])).toEqual([["feats", 128]]);
    const meta = await readModelMetadata(importedDir);
    expect(meta.onnx?.layerOutputs).toEqual({ feats: "feats" });
    const imported = await loadServingModel(importedDir, { engine: "onnx" });
    try {
      const scores = await imported.score(images, "none");
      expect(scores.every((s) => typeof s.oodScore === "number" && Number.isFinite(s.oodScore))).toBe(true);
      // The monitor threshold leaves most held-out images of the model's own data unflagged.
      expect(scores.filter((s) => s.oodScore! > 0).length).toBeLessThanOrEqual(2);
    } finally {
      imported.dispose();
    }
  });
});
