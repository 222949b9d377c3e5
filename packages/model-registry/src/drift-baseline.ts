import type { Database, DriftBaseline, ModelVersion } from "@leukoflow/shared";
import { readLocalArtifact } from "./artifact.js";
import { ArtifactMismatchError } from "./fetch-artifact.js";
import { findModelVersion, modelRef } from "./model-ref.js";

/** Stores the drift baseline scored from a local model folder with the registered version whose files it holds. */
export async function recordDriftBaseline(
  db: Database,
  modelDir: string,
  baseline: DriftBaseline,
): Promise<ModelVersion> {
  const artifact = await readLocalArtifact(modelDir);
  const ref = modelRef(artifact.metadata);
  const version = await findModelVersion(db, ref);
  if (version.artifactSha256 !== artifact.sha256)
    throw new ArtifactMismatchError(`${modelDir} is not the artifact registered as ${ref}`);
  return db.modelVersions.setDriftBaseline(version.id, baseline);
}
