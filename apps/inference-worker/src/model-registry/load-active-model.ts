import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadClassifier, type Classifier } from "@leukoflow/ml";
import type { ModelVersion, ObjectStore, PrismaClient } from "@leukoflow/shared";
import { artifactDigest, artifactFileNames } from "./artifact.js";

export interface LoadedModel {
  version: ModelVersion;
  classifier: Classifier;
}

/**
 * Fetches the active ModelVersion's artifact from object storage into a local cache, checks it
 * is byte for byte the registered one, and loads it.
 */
export async function loadActiveModel(
  deps: { prisma: PrismaClient; objectStore: ObjectStore },
  cacheDir: string,
): Promise<LoadedModel> {
  const version = await deps.prisma.modelVersion.findFirst({ where: { active: true }, orderBy: { createdAt: "desc" } });
  if (!version) throw new Error("No active model version: publish one with `leukoflow models publish --activate`");
  const prefix = new URL(version.artifactUri).pathname.slice(1);
  const modelJson = await deps.objectStore.get(`${prefix}model.json`);
  const names = artifactFileNames(modelJson);
  const files = await Promise.all(names.map((name) => (name === "model.json" ? modelJson : deps.objectStore.get(prefix + name))));
  if (artifactDigest(files) !== version.artifactSha256) {
    throw new Error(`Artifact of ${version.name}@${version.version} in storage does not match its registered digest`);
  }
  const dir = path.join(cacheDir, version.artifactSha256);
  await mkdir(dir, { recursive: true });
  await Promise.all(names.map((name, i) => writeFile(path.join(dir, name), files[i]!)));
  return { version, classifier: await loadClassifier(dir) };
}
