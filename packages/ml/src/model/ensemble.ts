import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ENSEMBLE_FILE, EnsembleDefinition, type ModelMetadata } from "@leukoflow/contracts";
import { readModelMetadata } from "./model-metadata.js";

export interface ResolvedMember {
  dir: string;
  weight: number;
  meta: ModelMetadata;
}

export function isEnsembleDir(dir: string): boolean {
  return existsSync(path.join(dir, ENSEMBLE_FILE));
}

export async function readEnsemble(dir: string): Promise<EnsembleDefinition> {
  return EnsembleDefinition.parse(JSON.parse(await readFile(path.join(dir, ENSEMBLE_FILE), "utf8")));
}

/**
 * The soft-voting members behind model folders: an ensemble folder contributes its members,
 * several folders are averaged with equal weight. Weights are normalised to sum to 1.
 */
export async function resolveMembers(dirs: readonly string[]): Promise<ResolvedMember[]> {
  if (dirs.length === 1 && isEnsembleDir(dirs[0]!)) {
    const ensemble = await readEnsemble(dirs[0]!);
    const total = ensemble.members.reduce((sum, m) => sum + m.weight, 0);
    return Promise.all(
      ensemble.members.map(async (m) => {
        const dir = path.resolve(dirs[0]!, "..", m.name);
        const meta = await readModelMetadata(dir);
        if (meta.version !== m.version)
          throw new Error(`${ensemble.name} wants ${m.name}@${m.version}, ${dir} holds ${meta.version}`);
        return { dir, weight: m.weight / total, meta };
      }),
    );
  }
  return Promise.all(
    dirs.map(async (dir) => {
      if (isEnsembleDir(dir)) throw new Error(`${dir} is an ensemble: give it alone, or give its members`);
      return { dir, weight: 1 / dirs.length, meta: await readModelMetadata(dir) };
    }),
  );
}
