import { writeFile } from "node:fs/promises";
import path from "node:path";
import { readModelMetadata, writeModelMetadata } from "../model/model-metadata.js";
import { ENSEMBLE_FILE, malignantThresholds, OperatingPoint, type MalignantThresholds } from "@leukoflow/contracts";
import { isEnsembleDir, readEnsemble } from "../model/ensemble.js";

/** The operating point recorded in a model folder's leukoflow-model.json or an ensemble folder's ensemble.json; null when none is. */
export async function readOperatingPoint(dir: string): Promise<OperatingPoint | null> {
  const recorded = isEnsembleDir(dir)
    ? (await readEnsemble(dir)).operatingPoint
    : (await readModelMetadata(dir)).operatingPoint;
  return recorded === undefined ? null : OperatingPoint.parse(recorded);
}

/** The thresholds a set of folders is served with: one model's or ensemble's own; an ad-hoc average of several gets the defaults. */
export async function servedThresholds(dirs: readonly string[]): Promise<MalignantThresholds> {
  return malignantThresholds(dirs.length === 1 ? await readOperatingPoint(dirs[0]!) : null);
}

/** Records an operating point under a new version (the artifact's files change, so its version must). */
export async function writeOperatingPoint(dir: string, version: string, operatingPoint: OperatingPoint): Promise<void> {
  if (isEnsembleDir(dir)) {
    const ensemble = await readEnsemble(dir);
    await writeFile(
      path.join(dir, ENSEMBLE_FILE),
      `${JSON.stringify({ ...ensemble, version, operatingPoint }, null, 2)}\n`,
    );
  } else {
    await writeModelMetadata(dir, { ...(await readModelMetadata(dir)), version, operatingPoint });
  }
}
