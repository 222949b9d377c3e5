import { existsSync, readdirSync } from "node:fs";
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../backend.js";
import { decodeToModelInput } from "../data/decode-to-model-input.js";
import { listImageFolder, type ImageEntry } from "../data/list-image-folder.js";
import { loadImages } from "../data/load-images.js";
import { SYNTHETIC_KINDS, syntheticNonSmearImages } from "../data/synthetic-non-smear-images.js";
import { readModelMetadata, writeModelMetadata } from "../model/model-metadata.js";
import { selectSplit } from "../data/select-split.js";
import { Ensemble } from "../serving/ensemble.js";
import { loadServingClassifier, type ServingClassifier } from "../serving/serving-classifier.js";
import { calibrateModelOod, SameVersionError } from "./calibrate-model-ood.js";
import { ariaOriginalDir, modelsDir, pbcSubsetDir } from "@leukoflow/shared";
import { OOD_STATISTICS_FILE, type OodCalibration } from "@leukoflow/contracts";

const SHIPPED_MODEL = path.join(modelsDir(), "aria-cnn-v1");
const ARIA = ariaOriginalDir();
const PBC = pbcSubsetDir();
/** aria-cnn-v1's input: 64 px, the camera's colours. */
const RAW_64 = { inputSize: 64, stainNormalization: "none" } as const;
const PBC_PER_CELL_TYPE = 25;

async function flagRate(classifier: ServingClassifier, images: Uint8Array[]): Promise<number> {
  const scores = await classifier.score(images, "none");
  return scores.filter((score) => score.oodScore! > 0).length / scores.length;
}

describe("Mahalanobis OOD calibration of a copy of the shipped aria-cnn-v1", () => {
  let dir: string;
  let calibration: OodCalibration;
  let classifier: ServingClassifier;
  let aria: ImageEntry[];

  beforeAll(async () => {
    await selectBackend("wasm", () => {});
    dir = await mkdtemp(path.join(tmpdir(), "lf-ood-"));
    await cp(SHIPPED_MODEL, dir, { recursive: true });
    calibration = await calibrateModelOod({ modelDir: dir, dataDir: ARIA, version: "1.0.1-ood" });
    classifier = await loadServingClassifier(dir);
    aria = await listImageFolder(ARIA, classifier.meta.classes);
  }, 120_000);

  it("records the method, layers, threshold and images in the metadata under the new version, the statistics beside model.json", async () => {
    const meta = await readModelMetadata(dir);
    expect(meta.version).toBe("1.0.1-ood");
    expect(meta.ood).toEqual(calibration);
    expect(calibration.layers.map((layer) => layer.name)).toEqual([
      "stage1_conv2_relu",
      "stage2_conv2_relu",
      "stage3_conv2_relu",
      "dropout",
    ]);
    expect(calibration.images).toEqual({ fitted: 1879, calibrated: 273 });
    expect(existsSync(path.join(dir, OOD_STATISTICS_FILE))).toBe(true);
    await expect(calibrateModelOod({ modelDir: dir, dataDir: ARIA, version: "1.0.1-ood" })).rejects.toThrow(
      SameVersionError,
    );
  });

  it("serves the score it was calibrated with: 1 % of the monitor images lie above the threshold", async () => {
    const monitor = selectSplit(aria, [classifier.meta], "monitor");
    const images = await loadImages(
      monitor.map((e) => e.path),
      RAW_64,
    );
    // 273 images at quantile 0.99: the threshold falls between the 271st and 272nd smallest scores.
    expect(Math.round((await flagRate(classifier, images)) * images.length)).toBe(3);
  });

  it("flags images from another lab and scanner (PBC) and synthetic non-smear images, few held-out smears", async () => {
    const pbcFiles = readdirSync(PBC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) =>
        readdirSync(path.join(PBC, entry.name))
          .filter((file) => file.endsWith(".jpg"))
          .sort()
          .slice(0, PBC_PER_CELL_TYPE)
          .map((file) => path.join(PBC, entry.name, file)),
      );
    expect(pbcFiles).toHaveLength(8 * PBC_PER_CELL_TYPE);
    expect(await flagRate(classifier, await loadImages(pbcFiles, RAW_64))).toBeGreaterThanOrEqual(0.95);

    const synthetic = await syntheticNonSmearImages(4);
    expect(new Set(synthetic.map((image) => image.kind))).toEqual(new Set(SYNTHETIC_KINDS));
    expect(
      await flagRate(classifier, await Promise.all(synthetic.map((image) => decodeToModelInput(image.png, RAW_64)))),
    ).toBe(1);

    const heldOut = selectSplit(aria, [classifier.meta], "held-out");
    expect(heldOut).toHaveLength(555);
    expect(
      await flagRate(
        classifier,
        await loadImages(
          heldOut.map((e) => e.path),
          RAW_64,
        ),
      ),
    ).toBeLessThanOrEqual(0.03);
  });

  it("flags in an ensemble when any calibrated member does", async () => {
    const uncalibratedDir = await mkdtemp(path.join(tmpdir(), "lf-no-ood-"));
    await cp(SHIPPED_MODEL, uncalibratedDir, { recursive: true });
    await writeModelMetadata(uncalibratedDir, { ...(await readModelMetadata(uncalibratedDir)), ood: undefined });
    const uncalibrated = await loadServingClassifier(uncalibratedDir);
    const images = await loadImages(
      readdirSync(path.join(PBC, "lymphocyte"))
        .sort()
        .slice(0, 4)
        .map((file) => path.join(PBC, "lymphocyte", file)),
      RAW_64,
    );
    const [alone, voted] = [
      await classifier.score(images, "none"),
      await new Ensemble([
        { classifier: uncalibrated, weight: 3 },
        { classifier, weight: 1 },
      ]).score(images, "none"),
    ];
    uncalibrated.dispose();
    voted.forEach((score, i) => {
      expect(score.members[0]!.oodScore).toBeNull();
      expect(score.oodScore).toBe(alone[i]!.oodScore);
    });
  });
});
