import { randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { MODEL_FILE } from "@leukoflow/ml";
import type { ModelVersion, ObjectStore } from "@leukoflow/shared";
import { artifactDigest, artifactFileNames } from "./artifact.js";
import { METADATA_FILE } from "@leukoflow/contracts";

export class ArtifactMismatchError extends Error {
  override readonly name = "ArtifactMismatchError";
}

/**
 * Copies a registered model's artifact from object storage into `cacheDir/<sha256>/`, after
 * checking it is byte for byte the registered one. Returns the directory.
 */
export async function fetchArtifact(
  objectStore: ObjectStore,
  version: ModelVersion,
  cacheDir: string,
): Promise<string> {
  const prefix = new URL(version.artifactUri).pathname.slice(1);
  // A model imported from ONNX has no model.json.
  const [metadataJson, modelJson] = await Promise.all([
    objectStore.get(prefix + METADATA_FILE),
    objectStore.head(prefix + MODEL_FILE).then((found) => (found ? objectStore.get(prefix + MODEL_FILE) : null)),
  ]);
  const names = artifactFileNames(metadataJson, modelJson);
  const fetched = new Map([
    [METADATA_FILE, metadataJson],
    [MODEL_FILE, modelJson],
  ]);
  const files = await Promise.all(names.map(async (name) => fetched.get(name) ?? objectStore.get(prefix + name)));
  if (artifactDigest(files) !== version.artifactSha256) {
    throw new ArtifactMismatchError(
      `Artifact of ${version.name}@${version.version} in storage does not match its registered digest`,
    );
  }
  const dir = path.join(cacheDir, version.artifactSha256);
  await mkdir(dir, { recursive: true });
  // Written aside, then renamed: worker processes sharing the cache never read a half-written file.
  await Promise.all(
    names.map(async (name, i) => {
      const partial = path.join(dir, `${name}.${randomUUID()}.partial`);
      await writeFile(partial, files[i]!);
      await rename(partial, path.join(dir, name));
    }),
  );
  return dir;
}
