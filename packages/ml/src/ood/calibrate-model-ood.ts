import { existsSync } from "node:fs";
import type * as tf from "@tensorflow/tfjs";
import path from "node:path";
import { ensureBackend } from "../backend.js";
import { listImageFolder, type ImageEntry } from "../data/list-image-folder.js";
import { loadImages } from "../data/load-images.js";
import { modelInputSpec, readModelMetadata, writeModelMetadata } from "../model/model-metadata.js";
import {
  ENSEMBLE_FILE,
  type ModelMetadata,
  OOD_STATISTICS_FILE,
  type OodCalibration,
  type OodLayerCalibration,
} from "@leukoflow/contracts";
import { isEnsembleDir } from "../model/ensemble.js";
import { loadModelFiles, MODEL_FILE } from "../model/model-files.js";
import { ensureModelOnnx } from "../onnx/export/write-model-onnx.js";
import { onnxFeatureRows } from "../serving/onnx/onnx-feature-rows.js";
import { onnxModelFile } from "../serving/onnx/onnx-forward.js";
import type { InferenceEngine } from "../serving/serving-classifier.js";
import { selectSplit } from "../data/select-split.js";
import { fitClassGaussians, nearestClassDistance, type ClassGaussians } from "./class-gaussians.js";
import { layerFeatureRows } from "./layer-feature-rows.js";
import { defaultOodLayers } from "./layer-features.js";
import { writeOodStatistics } from "./ood-calibration.js";
import { standardisedDistance } from "./ood-score.js";
import { empiricalQuantile } from "./quantile.js";

export const DEFAULT_OOD_QUANTILE = 0.99;
export const DEFAULT_OOD_SHRINKAGE = 0.1;

export interface CalibrateOodOptions {
  modelDir: string;
  /** The folder of class subfolders the model was trained on. */
  dataDir: string;
  /** The model's new version: the calibration changes its files, and a registered name@version never changes. */
  version: string;
  quantile?: number;
  shrinkage?: number;
  /** Default: defaultOodLayers, or the features output of a model imported from ONNX, whose layers are its ONNX outputs. */
  layers?: string[];
  /** Which engine computes the features; default onnx where the graph has the layers' outputs. */
  engine?: InferenceEngine;
}

export class SameVersionError extends Error {
  override readonly name = "SameVersionError";
}

const meanAndStd = (values: readonly number[]): [number, number] => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return [mean, Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length)];
};

/**
 * Fits the Mahalanobis OOD detector of a trained model: Gaussians on its own training images,
 * standardisation and threshold on its monitor blocks (both re-selected from its metadata's
 * splitOptions; the held-out test blocks stay unseen, so their flag rate is an honest estimate).
 * Writes ood-statistics.bin and the metadata's `ood` and `version`.
 */
export async function calibrateModelOod(options: CalibrateOodOptions): Promise<OodCalibration> {
  const { modelDir, dataDir, version } = options;
  if (isEnsembleDir(modelDir))
    throw new Error(
      `${modelDir} is an ensemble: calibrate its members and point its ${ENSEMBLE_FILE} at their new versions`,
    );
  const meta = await readModelMetadata(modelDir);
  if (version === meta.version)
    throw new SameVersionError(`${meta.name} is ${version} already: give the calibrated model a new version`);
  await ensureBackend();
  const entries = await listImageFolder(
    dataDir,
    meta.classes.filter((name) => existsSync(path.join(dataDir, name))),
  );
  const train = selectSplit(entries, [meta], "train");
  const monitor = selectSplit(entries, [meta], "monitor");
  const load = (list: readonly ImageEntry[]): Promise<Uint8Array[]> =>
    loadImages(
      list.map((e) => e.path),
      modelInputSpec(meta),
    );
  const images = { train: await load(train), monitor: await load(monitor) };
  const { layers, rows } = await oodFeatureRows(modelDir, meta, [images.train, images.monitor], options);
  const { calibration, gaussians } = fitOodOnRows(layers, meta.classes.length, {
    train: { rows: rows[0]!, labels: train.map((e) => meta.classes.indexOf(e.className)), images: images.train.length },
    monitor: { rows: rows[1]!, images: images.monitor.length },
    quantile: options.quantile,
    shrinkage: options.shrinkage,
  });
  await writeOodStatistics(modelDir, gaussians);
  const spec = meta.onnx ?? null;
  const imported = !existsSync(path.join(modelDir, MODEL_FILE));
  // A model imported from ONNX scores ONNX outputs by their own names; an exported graph gains outputs for new layers by re-export.
  const onnx =
    spec && imported
      ? {
          ...spec,
          layerOutputs: {
            ...spec.layerOutputs,
            ...Object.fromEntries(layers.map((l) => [l, spec.layerOutputs[l] ?? l])),
          },
        }
      : spec;
  await writeModelMetadata(modelDir, { ...meta, version, ood: calibration, ...(onnx ? { onnx } : {}) });
  if (spec && !imported) await ensureModelOnnx(modelDir);
  return calibration;
}

/**
 * The layers to score and, per image set, their pooled feature rows: through ONNX Runtime when
 * the model's graph has an output for every layer (or it was imported from ONNX and has no other
 * form), otherwise through its tfjs layers.
 */
async function oodFeatureRows(
  modelDir: string,
  meta: ModelMetadata,
  imageSets: readonly (readonly Uint8Array[])[],
  options: Pick<CalibrateOodOptions, "layers" | "engine">,
): Promise<{ layers: string[]; rows: Float32Array[][][] }> {
  const spec = meta.onnx ?? null;
  if (!existsSync(path.join(modelDir, MODEL_FILE))) {
    const layers = options.layers ?? (spec?.features ? [spec.features] : []);
    if (layers.length === 0)
      throw new Error(`${meta.name} has no features output: name the outputs to score with --feature-output`);
    return {
      layers,
      rows: await onnxFeatureRows(
        modelDir,
        layers.map((l) => spec?.layerOutputs[l] ?? l),
        imageSets,
      ),
    };
  }
  const model = await loadModelFiles(modelDir);
  try {
    const layers = options.layers ?? defaultOodLayers(model);
    const outputs = layers.map((layer) => spec?.layerOutputs[layer]);
    if (options.engine !== "tfjs" && onnxModelFile(modelDir, spec) && outputs.every((output) => output !== undefined)) {
      return { layers, rows: await onnxFeatureRows(modelDir, outputs, imageSets) };
    }
    const rows: Float32Array[][][] = [];
    for (const images of imageSets)
      rows.push(await layerFeatureRows(model, layers, images, meta.inputSize, meta.normalization));
    return { layers, rows };
  } finally {
    model.dispose();
  }
}

export interface OodFitInput {
  /** The model's training images (RGB HWC bytes at its input size) and their class indices. */
  train: { images: readonly Uint8Array[]; labels: readonly number[] };
  /** Its monitor images: standardisation and threshold. */
  monitor: readonly Uint8Array[];
  quantile?: number;
  shrinkage?: number;
  /** Default: defaultOodLayers. */
  layers?: string[];
}

/** The fit itself, on images already in memory: `leukoflow train` calls it on the model it has just trained. */
export async function fitOodDetector(
  model: tf.LayersModel,
  meta: Pick<ModelMetadata, "classes" | "inputSize" | "normalization">,
  input: OodFitInput,
): Promise<{ calibration: OodCalibration; gaussians: ClassGaussians[] }> {
  const layers = input.layers ?? defaultOodLayers(model);
  const rowsOf = (images: readonly Uint8Array[]): Promise<Float32Array[][]> =>
    layerFeatureRows(model, layers, images, meta.inputSize, meta.normalization);
  return fitOodOnRows(layers, meta.classes.length, {
    train: { rows: await rowsOf(input.train.images), labels: input.train.labels, images: input.train.images.length },
    monitor: { rows: await rowsOf(input.monitor), images: input.monitor.length },
    quantile: input.quantile,
    shrinkage: input.shrinkage,
  });
}

interface OodRows {
  /** Per layer, per image, its pooled features. */
  train: { rows: Float32Array[][]; labels: readonly number[]; images: number };
  monitor: { rows: Float32Array[][]; images: number };
  quantile?: number;
  shrinkage?: number;
}

function fitOodOnRows(
  layers: readonly string[],
  classCount: number,
  input: OodRows,
): { calibration: OodCalibration; gaussians: ClassGaussians[] } {
  const { quantile = DEFAULT_OOD_QUANTILE, shrinkage = DEFAULT_OOD_SHRINKAGE } = input;
  const [trainRows, monitorRows] = [input.train.rows, input.monitor.rows];
  const gaussians = trainRows.map((rows) => fitClassGaussians(rows, input.train.labels, classCount, shrinkage));
  const layerCalibrations: OodLayerCalibration[] = layers.map((name, l) => {
    const [distanceMean, distanceStd] = meanAndStd(
      monitorRows[l]!.map((row) => nearestClassDistance(gaussians[l]!, row)),
    );
    return { name, dimensions: gaussians[l]!.dimensions, distanceMean, distanceStd };
  });
  const monitorDistances = Array.from({ length: input.monitor.images }, (_, i) =>
    standardisedDistance(
      gaussians,
      layerCalibrations,
      monitorRows.map((rows) => rows[i]!),
    ),
  );
  const calibration: OodCalibration = {
    method: "mahalanobis",
    description:
      "per layer, the squared Mahalanobis distance of the pooled features (spatial layers: channel means and standard deviations) " +
      "to the nearest class mean under a shared, shrunk covariance (Lee et al. 2018), standardised by its monitor-block mean and " +
      "standard deviation; the largest over layers minus the threshold is the oodScore, flagged when > 0",
    layers: layerCalibrations,
    shrinkage,
    statisticsFile: OOD_STATISTICS_FILE,
    threshold: empiricalQuantile(monitorDistances, quantile),
    quantile,
    fittedOn: "training images (splitOptions: neither test nor monitor blocks)",
    calibratedOn: "monitor blocks (splitOptions.monitor)",
    images: { fitted: input.train.images, calibrated: input.monitor.images },
  };
  return { calibration, gaussians };
}
