import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClinicalFigures } from "@leukoflow/ml";
import { ARIA_ORIGINAL_DIR } from "../../../../test/support/datasets.js";
import { runCommands } from "../test-support/run-commands.js";
import { registerEvaluateCommand } from "./evaluate.js";
import { registerTrainCommand } from "./train.js";

const CLASSES = ["benign", "early_pre_b", "pre_b", "pro_b"];
const PER_CLASS = 12;
const PNG_SIGNATURE = "89504e470d0a1a0a";

const run = (args: string[]): Promise<string> => runCommands([registerTrainCommand, registerEvaluateCommand], args);

describe("leukoflow train and evaluate on real images", () => {
  let root: string;
  let data: string;
  let modelDir: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "leukoflow-train-"));
    data = path.join(root, "data");
    modelDir = path.join(root, "model");
    // A run of consecutive file numbers per class, so the block split has blocks to hold out.
    for (const className of CLASSES) {
      mkdirSync(path.join(data, className), { recursive: true });
      const files = readdirSync(path.join(ARIA_ORIGINAL_DIR, className))
        .filter((f) => f.endsWith(".jpg"))
        .sort()
        .slice(0, PER_CLASS);
      for (const file of files)
        copyFileSync(path.join(ARIA_ORIGINAL_DIR, className, file), path.join(data, className, file));
    }
    await run([
      "train",
      data,
      "--name",
      "tiny",
      "--out",
      modelDir,
      "--checkpoint-dir",
      path.join(root, "checkpoint"),
      "--filters",
      "4,8",
      "--input-size",
      "32",
      "--epochs",
      "2",
      "--batch-size",
      "8",
      "--test-split",
      "4:4:0",
      "--monitor-split",
      "3:3:0",
      "--backend",
      "wasm",
    ]);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("train writes the tfjs artifact, calibration, OOD detector and a report with PNG charts", () => {
    const files = readdirSync(modelDir);
    for (const file of [
      "model.json",
      "weights.bin",
      "leukoflow-model.json",
      "ood-statistics.bin",
      "report.json",
      "report.md",
      "confusion-matrix.png",
      "roc-curve.png",
      "reliability-diagram.png",
    ])
      expect(files).toContain(file);
    for (const png of ["confusion-matrix.png", "roc-curve.png", "reliability-diagram.png"])
      expect(readFileSync(path.join(modelDir, png)).subarray(0, 8).toString("hex")).toBe(PNG_SIGNATURE);
    const meta = JSON.parse(readFileSync(path.join(modelDir, "leukoflow-model.json"), "utf8"));
    expect(meta.temperature).toBeGreaterThan(0);
    expect(meta.classes).toEqual(CLASSES);
    expect(meta.heldOutRanges ?? meta.validation.heldOutRanges).toHaveLength(4);
    const report = JSON.parse(readFileSync(path.join(modelDir, "report.json"), "utf8"));
    expect(report.split.testImages).toBe((CLASSES.length * PER_CLASS) / 4);
    expect(meta.ood.method).toBe("mahalanobis");
    expect(meta.ood.images).toEqual({ fitted: report.split.trainImages, calibrated: report.split.monitorImages });
    expect(report.trainingSeconds).toBeGreaterThanOrEqual(0);
    expect(report.peakRssMb).toBeGreaterThan(0);
    expect(report.classBalance).toBe("loss");
    expect(readFileSync(path.join(modelDir, "report.md"), "utf8")).toMatch(/held out; never used for training/);
  });

  it("train --init-from starts from a trained model at another input size and normalization and says so in its report", async () => {
    const tunedDir = path.join(root, "tuned");
    // At a learning rate this small the first convolution's kernel must still be the starting model's.
    await run([
      "train",
      data,
      "--name",
      "tuned",
      "--version",
      "2.0.0",
      "--out",
      tunedDir,
      "--init-from",
      modelDir,
      "--checkpoint-dir",
      path.join(root, "checkpoint-tuned"),
      "--filters",
      "4,8",
      "--input-size",
      "40",
      "--stain-normalization",
      "reinhard",
      "--epochs",
      "1",
      "--batch-size",
      "8",
      "--lr",
      "1e-9",
      "--test-split",
      "4:4:0",
      "--monitor-split",
      "3:3:0",
      "--backend",
      "wasm",
    ]);
    const report = JSON.parse(readFileSync(path.join(tunedDir, "report.json"), "utf8"));
    expect(report.initialisedFrom).toBe("tiny 1.0.0");
    expect(report.inputSize).toBe(40);
    expect(JSON.parse(readFileSync(path.join(tunedDir, "leukoflow-model.json"), "utf8"))).toMatchObject({
      name: "tuned",
      version: "2.0.0",
      initialisedFrom: "tiny 1.0.0",
      stainNormalization: "reinhard",
    });
    const markdown = readFileSync(path.join(tunedDir, "report.md"), "utf8");
    expect(markdown).toContain("- Initial weights: tiny 1.0.0");
    expect(markdown).toContain("40×40 RGB input (Reinhard stain normalization)");
    const firstKernel = (dir: string): Float32Array => {
      const bytes = readFileSync(path.join(dir, "weights.bin"));
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 3 * 3 * 3 * 4 * 4));
    };
    const started = Array.from(firstKernel(tunedDir));
    firstKernel(modelDir).forEach((value, i) => expect(started[i]).toBeCloseTo(value, 5));
  });

  it("train --class-balance sampling draws balanced batches and records the choice in its report", async () => {
    const balancedDir = path.join(root, "balanced");
    await run([
      "train",
      data,
      "--name",
      "balanced",
      "--out",
      balancedDir,
      "--checkpoint-dir",
      path.join(root, "checkpoint-balanced"),
      "--filters",
      "4,8",
      "--input-size",
      "32",
      "--class-balance",
      "sampling",
      "--epochs",
      "1",
      "--batch-size",
      "8",
      "--test-split",
      "4:4:0",
      "--monitor-split",
      "3:3:0",
      "--backend",
      "wasm",
    ]);
    const report = JSON.parse(readFileSync(path.join(balancedDir, "report.json"), "utf8"));
    expect(report.classBalance).toBe("sampling");
    expect(report.epochs.run).toBe(1);
    expect(readFileSync(path.join(balancedDir, "report.md"), "utf8")).toContain(
      "- Class balance: sampling (every class equally likely in each draw",
    );
    await expect(
      run(["train", data, "--name", "refused", "--out", path.join(root, "refused"), "--class-balance", "oversample"]),
    ).rejects.toThrow(/oversample/);
  });

  it("train --init-from refuses a model trained on another split or with other filters", async () => {
    const initFrom = (extra: string[]): Promise<string> =>
      run([
        "train",
        data,
        "--name",
        "refused",
        "--out",
        path.join(root, "refused"),
        "--init-from",
        modelDir,
        "--input-size",
        "32",
        "--epochs",
        "1",
        "--batch-size",
        "8",
        "--monitor-split",
        "3:3:0",
        "--backend",
        "wasm",
        ...extra,
      ]);
    await expect(initFrom(["--filters", "4,8", "--test-split", "4:3:0"])).rejects.toThrow(/another split/);
    await expect(initFrom(["--filters", "4,16", "--test-split", "4:4:0"])).rejects.toThrow(/other --filters/);
  });

  it("evaluate --json reports every metric on the model's held-out blocks", async () => {
    const result = JSON.parse(
      await run([
        "evaluate",
        "--model",
        modelDir,
        "--data",
        data,
        "--split",
        "held-out",
        "--json",
        "--backend",
        "wasm",
      ]),
    );
    expect(result.n).toBe((CLASSES.length * PER_CLASS) / 4);
    for (const key of ["accuracy", "balancedAccuracy", "weightedF1", "ece"]) {
      expect(result[key]).toBeGreaterThanOrEqual(0);
      expect(result[key]).toBeLessThanOrEqual(1);
    }
    expect(Object.keys(result.perClass)).toEqual(CLASSES);
    expect(Object.keys(result.perClass.benign)).toEqual(expect.arrayContaining(["precision", "recall", "f1"]));
    expect(Object.keys(result.malignant)).toEqual(expect.arrayContaining(["sensitivity", "specificity", "auc"]));
    expect(result.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(result.n);
    // Each image- and specimen-level figure with its 95 % interval, around the same point figures.
    const { image, specimen } = result.clinical as ClinicalFigures;
    expect(image.accuracy.value).toBe(result.accuracy);
    expect(image.sensitivity.value).toBe(result.malignant.sensitivity);
    expect(specimen.malignant + specimen.benign).toBe(specimen.specimens);
    for (const estimate of [
      image.sensitivity,
      image.specificity,
      image.accuracy,
      image.balancedAccuracy,
      image.auc,
      image.ece,
      specimen.sensitivity,
      specimen.specificity,
    ]) {
      expect(estimate.low).toBeLessThanOrEqual(estimate.value);
      expect(estimate.high).toBeGreaterThanOrEqual(estimate.value);
    }
  });

  it("evaluate --tta none scores the held-out blocks exactly as the training report does", async () => {
    const report = JSON.parse(readFileSync(path.join(modelDir, "report.json"), "utf8"));
    const result = JSON.parse(
      await run([
        "evaluate",
        "--model",
        modelDir,
        "--data",
        data,
        "--split",
        "held-out",
        "--tta",
        "none",
        "--json",
        "--backend",
        "wasm",
      ]),
    );
    expect(result.tta).toBe("none");
    expect(result.confusion).toEqual(report.test.confusion);
    expect(result.ece).toBeCloseTo(report.test.ece, 5);
    expect(result.malignant.auc).toBeCloseTo(report.test.malignant.auc, 5);
  });

  it("evaluate normalizes colours as the model declares: a Reinhard-trained model's report is reproduced exactly", async () => {
    const tunedDir = path.join(root, "tuned");
    const report = JSON.parse(readFileSync(path.join(tunedDir, "report.json"), "utf8"));
    expect(report.stainNormalization).toBe("reinhard");
    const result = JSON.parse(
      await run([
        "evaluate",
        "--model",
        tunedDir,
        "--data",
        data,
        "--split",
        "held-out",
        "--tta",
        "none",
        "--json",
        "--backend",
        "wasm",
      ]),
    );
    expect(result.confusion).toEqual(report.test.confusion);
    expect(result.ece).toBeCloseTo(report.test.ece, 5);
    expect(result.malignant.auc).toBeCloseTo(report.test.malignant.auc, 5);
  });

  it("evaluate scores with the inference worker's test-time augmentation unless told otherwise", async () => {
    const flips = JSON.parse(
      await run(["evaluate", "--model", modelDir, "--data", data, "--json", "--backend", "wasm"]),
    );
    const alone = JSON.parse(
      await run(["evaluate", "--model", modelDir, "--data", data, "--tta", "none", "--json", "--backend", "wasm"]),
    );
    expect(flips.tta).toBe("flips");
    expect(flips.n).toBe(alone.n);
    // Averaging four views changes the probabilities of an untrained-looking tiny model.
    expect(flips.ece).not.toBeCloseTo(alone.ece, 6);
    await expect(
      run(["evaluate", "--model", modelDir, "--data", data, "--tta", "rotations", "--json"]),
    ).rejects.toThrow(/--tta must be one of none, flips, dihedral/);
  });

  it("evaluate --shift reports every named shift and the worst one", async () => {
    const result = JSON.parse(
      await run([
        "evaluate",
        "--model",
        modelDir,
        "--data",
        data,
        "--shift",
        "blur",
        "rotation",
        "--json",
        "--backend",
        "wasm",
      ]),
    );
    expect(Object.keys(result.shifts)).toEqual(["blur", "rotation"]);
    for (const shifted of Object.values<{ n: number; accuracy: number }>(result.shifts))
      expect(shifted.n).toBe(result.n);
    expect(result.worstShift.accuracy).toBe(Math.min(result.shifts.blur.accuracy, result.shifts.rotation.accuracy));
  });

  it("evaluate with the same model twice soft-votes to the same predictions", async () => {
    const single = JSON.parse(
      await run(["evaluate", "--model", modelDir, "--data", data, "--json", "--backend", "wasm"]),
    );
    const pair = JSON.parse(
      await run(["evaluate", "--model", modelDir, modelDir, "--data", data, "--json", "--backend", "wasm"]),
    );
    expect(pair.models).toHaveLength(2);
    expect(pair.confusion).toEqual(single.confusion);
    expect(pair.ece).toBeCloseTo(single.ece, 5);
  });

  it("evaluate without --model runs the shipped default, which knows these (training) images", async () => {
    const result = JSON.parse(await run(["evaluate", "--data", data, "--json", "--backend", "wasm"]));
    expect(result.n).toBe(CLASSES.length * PER_CLASS);
    expect(result.models.length).toBeGreaterThanOrEqual(1);
    expect(result.accuracy).toBeGreaterThan(0.8);
  });
});
