import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { OOD_STATISTICS_FILE, type ModelMetadata, type OodCalibration } from "@leukoflow/contracts";
import type { ClassGaussians } from "./class-gaussians.js";

export interface OodDetector {
  calibration: OodCalibration;
  /** In calibration.layers order. */
  gaussians: ClassGaussians[];
}

export function oodCalibrationOf(meta: ModelMetadata): OodCalibration | null {
  return meta.ood ?? null;
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
