import { existsSync } from "node:fs";
import path from "node:path";
import { loadServingModel } from "../serving/load-serving-model.js";
import type { ServingClassifier } from "../serving/serving-classifier.js";
import { listImageFolder } from "../data/list-image-folder.js";
import { loadImages } from "../data/load-images.js";
import { modelInputSpec, readModelMetadata, writeModelMetadata } from "../model/model-metadata.js";
import { expectedCalibrationError, reliabilityBins } from "../evaluation/calibration.js";
import { selectSplit } from "../data/select-split.js";
import { applyTemperature, fitTemperature } from "./temperature-scaling.js";

export interface TemperatureCalibration {
  temperature: number;
  monitorImages: number;
  monitorEceBefore: number;
  monitorEceAfter: number;
}

const BATCH = 64;

/**
 * The model's softmax at temperature 1 through the serving engine: softmax(T·log p) undoes a
 * temperature already recorded, since log p is the logits / T up to a constant per image.
 */
async function untemperedProbabilities(
  classifier: ServingClassifier,
  images: readonly Uint8Array[],
): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for (let start = 0; start < images.length; start += BATCH) {
    for (const { probabilities } of await classifier.score(images.slice(start, start + BATCH), "none")) {
      rows.push(
        classifier.temperature === 1 ? probabilities : applyTemperature(probabilities, 1 / classifier.temperature),
      );
    }
  }
  return rows;
}

/**
 * Fits a trained model's temperature on its own monitor blocks of `dataDir` (re-selected from its
 * metadata's splitOptions, never the held-out test blocks) and writes it into leukoflow-model.json.
 */
export async function calibrateModelTemperature(modelDir: string, dataDir: string): Promise<TemperatureCalibration> {
  const meta = await readModelMetadata(modelDir);
  const classes = meta.classes.filter((name) => existsSync(path.join(dataDir, name)));
  const entries = selectSplit(await listImageFolder(dataDir, classes), [meta], "monitor");
  const classifier = await loadServingModel(modelDir);
  const raw = await untemperedProbabilities(
    classifier,
    await loadImages(
      entries.map((e) => e.path),
      modelInputSpec(meta),
    ),
  ).finally(() => classifier.dispose());
  const labels = entries.map((e) => meta.classes.indexOf(e.className));
  const temperature = fitTemperature(raw, labels);
  const ece = (rows: ArrayLike<number>[]): number => expectedCalibrationError(reliabilityBins(rows, labels));
  const calibration = {
    temperature,
    monitorImages: entries.length,
    monitorEceBefore: ece(raw),
    monitorEceAfter: ece(raw.map((row) => applyTemperature(row, temperature))),
  };
  await writeModelMetadata(modelDir, {
    ...meta,
    temperature,
    temperatureCalibration: { ...calibration, fittedOn: "monitor blocks (splitOptions.monitor)" },
  });
  return calibration;
}
