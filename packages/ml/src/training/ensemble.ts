import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readModelMetadata, type ModelMetadata } from "../model-metadata.js";

/**
 * An ensemble is a folder holding only this file: its members are model folders (relative paths)
 * whose temperature-scaled probabilities are averaged with `weight`, then scaled by `temperature`.
 */
export const ENSEMBLE_FILE = "leukoflow-ensemble.json";

export interface EnsembleDefinition {
  name: string;
  version: string;
  task: string;
  classes: string[];
  malignantClasses: string[];
  combination: "soft-voting";
  members: { path: string; weight: number }[];
  /** Applied to the weighted mean (as to a softmax output, see applyTemperature); 1 = none. */
  temperature: number;
  [extra: string]: unknown;
}

export interface ResolvedMember {
  dir: string;
  weight: number;
  meta: ModelMetadata;
}

export function isEnsembleDir(dir: string): boolean {
  return existsSync(path.join(dir, ENSEMBLE_FILE));
}

export async function readEnsemble(dir: string): Promise<EnsembleDefinition> {
  return JSON.parse(await readFile(path.join(dir, ENSEMBLE_FILE), "utf8")) as EnsembleDefinition;
}

/**
 * The soft-voting members behind model folders: an ensemble folder contributes its members and
 * temperature, several folders are averaged with equal weight. Weights are normalised to sum to 1.
 */
export async function resolveMembers(dirs: readonly string[]): Promise<{ members: ResolvedMember[]; temperature: number }> {
  if (dirs.length === 1 && isEnsembleDir(dirs[0]!)) {
    const ensemble = await readEnsemble(dirs[0]!);
    const total = ensemble.members.reduce((sum, m) => sum + m.weight, 0);
    const members = await Promise.all(ensemble.members.map(async (m) => {
      const dir = path.resolve(dirs[0]!, m.path);
      return { dir, weight: m.weight / total, meta: await readModelMetadata(dir) };
    }));
    return { members, temperature: ensemble.temperature };
  }
  const members = await Promise.all(dirs.map(async (dir) => {
    if (isEnsembleDir(dir)) throw new Error(`${dir} is an ensemble: give it alone, or give its members`);
    return { dir, weight: 1 / dirs.length, meta: await readModelMetadata(dir) };
  }));
  return { members, temperature: 1 };
}
