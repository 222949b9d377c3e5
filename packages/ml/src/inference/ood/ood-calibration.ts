import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ModelMetadata } from "../../model-metadata.js";
import type { ClassGaussians } from "./class-gaussians.js";

/** Beside model.json: each layer's class means, then its precision matrix, as little-endian float32, in `layers` order. */
export const OOD_STATISTICS_FILE = "ood-statistics.bin";

export interface OodLayerCalibration {
  /** A layer of model.json; spatial layers are pooled to channel means and standard deviations. */
  name: string;
  dimensions: number;
  /** Mean and standard deviation of this layer's nearest-class distance over the monitor images, to standardise it. */
  distanceMean: number;
  distanceStd: number;
}

/** The `ood` field of leukoflow-model.json. */
export interface OodCalibration {
  method: "mahalanobis";
  description: string;
  layers: OodLayerCalibration[];
  /** Σ' = (1 − shrinkage)·Σ + shrinkage·diag(Σ). */
  shrinkage: number;
  statisticsFile: typeof OOD_STATISTICS_FILE;
  /** Standardised distance above which an image is flagged; oodScore = distance − threshold. */
  threshold: number;
  /** Share of the monitor images at or below the threshold. */
  quantile: number;
  /** Where the class means and covariance come from, and where the standardisation and threshold come from. */
  fittedOn: string;
  calibratedOn: string;
  images: { fitted: number; calibrated: number };
}

export interface OodDetector {
  calibration: OodCalibration;
  /** In calibration.layers order. */
  gaussians: ClassGaussians[];
}

export function oodCalibrationOf(meta: ModelMetadata): OodCalibration | null {
  const ood = meta.ood as Partial<OodCalibration> | undefined;
  return ood?.method === "mahalanobis" ? (ood as OodCalibration) : null;
}

export async function writeOodStatistics(modelDir: string, gaussians: readonly ClassGaussians[]): Promise<void> {
  const values = gaussians.flatMap((layer) => [...layer.means.flatMap((mean) => [...mean]), ...layer.precision]);
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  await writeFile(path.join(modelDir, OOD_STATISTICS_FILE), bytes);
}

/** The model's OOD detector, or null when its metadata carries no Mahalanobis calibration. */
export async function readOodDetector(modelDir: string, meta: ModelMetadata): Promise<OodDetector | null> {
  const calibration = oodCalibrationOf(meta);
  if (!calibration) return null;
  const bytes = await readFile(path.join(modelDir, OOD_STATISTICS_FILE));
  const classCount = meta.classes.length;
  let offset = 0;
  const take = (count: number): Float64Array => {
    const values = Float64Array.from({ length: count }, (_, i) => bytes.readFloatLE((offset + i) * 4));
    offset += count;
    return values;
  };
  const gaussians = calibration.layers.map(({ dimensions: d }) => ({
    dimensions: d,
    means: Array.from({ length: classCount }, () => take(d)),
    precision: take(d * d),
  }));
  if (offset * 4 !== bytes.length)
    throw new Error(`${OOD_STATISTICS_FILE} of ${meta.name} does not match the layers in its metadata`);
  return { calibration, gaussians };
}
