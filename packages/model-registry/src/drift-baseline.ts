import { readFile } from "node:fs/promises";
import path from "node:path";
import { ENSEMBLE_FILE, EnsembleDefinition } from "@leukoflow/contracts";
import { isEnsembleDir } from "@leukoflow/ml";
import type { Database, DriftBaseline, ModelVersion } from "@leukoflow/shared";
import { readLocalArtifact } from "./artifact.js";
import { ensembleDigest } from "./ensemble-definition.js";
import { ArtifactMismatchError } from "./fetch-artifact.js";
import { findModelVersion, modelRef } from "./model-ref.js";

/**
 * The name@version and digest of a local model folder, as the registry computed them at publish: an
 * artifact's files, or for an ensemble folder its definition over its members' local artifacts
 * (sibling folders named like them).
 */
async function localIdentity(modelDir: string): Promise<{ ref: string; sha256: string }> {
  if (!isEnsembleDir(modelDir)) {
    const artifact = await readLocalArtifact(modelDir);
    return { ref: modelRef(artifact.metadata), sha256: artifact.sha256 };
  }
  const definition = EnsembleDefinition.parse(JSON.parse(await readFile(path.join(modelDir, ENSEMBLE_FILE), "utf8")));
  const members = await Promise.all(
    definition.members.map(async (member) => {
      const artifact = await readLocalArtifact(path.resolve(modelDir, "..", member.name));
      return { ...member, version: artifact.metadata.version, artifactSha256: artifact.sha256 };
    }),
  );
  return { ref: modelRef(definition), sha256: ensembleDigest(definition.name, definition.version, members) };
}

/** Stores the drift baseline scored from a local model (or ensemble) folder with the registered version whose files it holds. */
export async function recordDriftBaseline(
  db: Database,
  modelDir: string,
  baseline: DriftBaseline,
): Promise<ModelVersion> {
  const local = await localIdentity(modelDir);
  const version = await findModelVersion(db, local.ref);
  if (version.artifactSha256 !== local.sha256)
    throw new ArtifactMismatchError(`${modelDir} is not the artifact registered as ${local.ref}`);
  return db.modelVersions.setDriftBaseline(version.id, baseline);
}
