import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { SameVersionError } from "../ood/calibrate-model-ood.js";
import { readModelMetadata } from "../model/model-metadata.js";
import { evaluateFolder, type FolderEvaluation } from "./evaluate-folder.js";
import { calibrateOperatingPoint } from "./calibrate-operating-point.js";
import { clinicalFigures } from "./clinical-figures.js";
import { ariaOriginalDir, modelsDir } from "@leukoflow/shared";
import type { OperatingPoint } from "@leukoflow/contracts";

const SHIPPED_MODEL = path.join(modelsDir(), "aria-cnn-v1");
const ARIA = ariaOriginalDir();

describe("models calibrate --target-sensitivity on a copy of the shipped aria-cnn-v1", () => {
  let dir: string;
  let operatingPoint: OperatingPoint;
  let monitor: FolderEvaluation;

  beforeAll(async () => {
    await selectBackend("wasm", () => {});
    dir = await mkdtemp(path.join(tmpdir(), "lf-operating-point-"));
    await cp(SHIPPED_MODEL, dir, { recursive: true });
    operatingPoint = await calibrateOperatingPoint({
      modelDir: dir,
      dataDir: ARIA,
      version: "1.1.1-op",
      metric: "sensitivity",
      target: 0.99,
      tta: "none",
    });
    monitor = await evaluateFolder({ modelDirs: [dir], dataDir: ARIA, split: "monitor", tta: "none" });
  }, 300_000);

  it("records the threshold under the new version and the model then calls at it", async () => {
    expect((await readModelMetadata(dir)).version).toBe("1.1.1-op");
    expect(monitor.thresholds).toEqual({
      image: operatingPoint.malignantThreshold,
      specimen: operatingPoint.specimen.threshold,
    });
    expect(monitor.evaluation.malignant.threshold).toBe(operatingPoint.malignantThreshold);
  });

  it("meets the image-level target on the monitor blocks it was fitted on, with the figures it recorded", () => {
    expect(monitor.evaluation.n).toBe(operatingPoint.fittedOn.images);
    expect(monitor.evaluation.malignant.sensitivity).toBeGreaterThanOrEqual(0.99);
    expect(monitor.evaluation.malignant.sensitivity).toBe(operatingPoint.fittedOn.sensitivity);
    expect(monitor.evaluation.malignant.specificity).toBe(operatingPoint.fittedOn.specificity);
  });

  it("misses no malignant monitor specimen, and evaluate's intervals contain their point figures", () => {
    const images = monitor.probabilities.map((probabilities, i) => ({
      probabilities,
      label: monitor.labels[i]!,
      fileNumber: monitor.fileNumbers[i]!,
    }));
    const figures = clinicalFigures(images, monitor.evaluation.classes, monitor.malignantClasses, monitor.thresholds);
    expect(figures.specimen.specimens).toBe(operatingPoint.specimen.fittedOn.specimens);
    expect(figures.specimen.sensitivity.value).toBe(1);
    expect(figures.image.sensitivity.value).toBe(monitor.evaluation.malignant.sensitivity);
    for (const estimate of [
      figures.image.sensitivity,
      figures.image.specificity,
      figures.image.accuracy,
      figures.image.balancedAccuracy,
      figures.image.auc,
      figures.image.ece,
      figures.specimen.specificity,
    ]) {
      expect(estimate.low).toBeLessThanOrEqual(estimate.value);
      expect(estimate.high).toBeGreaterThanOrEqual(estimate.value);
    }
  });

  it("refuses to record an operating point under the version the model already has", async () => {
    await expect(
      calibrateOperatingPoint({
        modelDir: dir,
        dataDir: ARIA,
        version: "1.1.1-op",
        metric: "sensitivity",
        target: 0.99,
      }),
    ).rejects.toBeInstanceOf(SameVersionError);
  });
});
