import { readFile } from "node:fs/promises";
import { decodeToModelInput } from "../data/decode-to-model-input.js";
import { energyThreshold, type OodCalibration } from "./ood-calibration.js";
import type { ServingClassifier } from "./serving-classifier.js";

const BATCH = 64;

/** Energy scores of image files through the classifier, as the worker computes them. */
export async function energiesOf(classifier: ServingClassifier, files: readonly string[]): Promise<number[]> {
  const energies: number[] = [];
  for (let start = 0; start < files.length; start += BATCH) {
    const images = await Promise.all(
      files.slice(start, start + BATCH).map(async (file) => decodeToModelInput(await readFile(file), classifier.meta.inputSize)),
    );
    for (const { energy } of await classifier.score(images, "none")) energies.push(energy);
  }
  return energies;
}

/** Fits the OOD threshold so that `quantile` of the in-distribution (held-out) images pass unflagged. */
export async function calibrateOod(
  classifier: ServingClassifier,
  heldOutFiles: readonly string[],
  quantile: number,
  calibratedOn: string,
): Promise<OodCalibration> {
  const energies = await energiesOf(classifier, heldOutFiles);
  return { score: "energy", threshold: energyThreshold(energies, quantile), quantile, calibratedOn, images: energies.length };
}
