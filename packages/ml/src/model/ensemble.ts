import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readModelMetadata, type ModelMetadata } from "../model-metadata.js";

/**
 * An ensemble is a model folder holding this file (the inference worker registers it as a
 * ModelVersion of registered members): soft voting of the members' temperature-scaled
 * probabilities with the given weights. Members are the sibling folders named like them.
 */
export const ENSEMBLE_FILE = "ensemble.json";

export interface EnsembleDefinition {
  name: string;
  version: string;
  task: string;
  members: { name: string; version: string; weight: number }[];
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
 * The soft-voting members behind model folders: an ensemble folder contributes its members,
 * several folders are averaged with equal weight. Weights are normalised to sum to 1.
 */
export async function resolveMembers(dirs: readonly string[]): Promise<ResolvedMember[]> {
  if (dirs.length === 1 && isEnsembleDir(dirs[0]!)) {
    const ensemble = await readEnsemble(dirs[0]!);
    const total = ensemble.members.reduce((sum, m) => sum + m.weight, 0);
    return Promise.all(ensemble.members.map(async (m) => {
      const dir = path.resolve(dirs[0]!, "..", m.name);
      const meta = await readModelMetadata(dir);
      if (meta.version !== m.version) throw new Error(`${ensemble.name} wants ${m.name}@${m.version}, ${dir} holds ${meta.version}`);
      return { dir, weight: m.weight / total, meta };
    }));
  }
  return Promise.all(dirs.map(async (dir) => {
    if (isEnsembleDir(dir)) throw new Error(`${dir} is an ensemble: give it alone, or give its members`);
    return { dir, weight: 1 / dirs.length, meta: await readModelMetadata(dir) };
  }));
}
