import { access } from "node:fs/promises";
import path from "node:path";
import type { ModelVersion, ObjectStore, PrismaClient } from "@leukoflow/shared";
import { readLocalArtifact } from "./artifact.js";
import { ENSEMBLE_FILE, modelArtifactPrefix } from "@leukoflow/contracts";
import { publishEnsemble } from "./publish-ensemble.js";

export interface PublishOptions {
  /** Make this the version the workers serve for its task (others of the task are deactivated). */
  activate: boolean;
}

/**
 * Uploads a model artifact to object storage and registers it as a ModelVersion. Publishing the
 * same artifact again is a no-op; a different artifact under an existing name@version is refused.
 * A directory holding ensemble.json registers an ensemble of already registered versions instead.
 */
export async function publishModel(
  deps: { prisma: PrismaClient; objectStore: ObjectStore },
  dir: string,
  options: PublishOptions,
): Promise<ModelVersion> {
  if (
    await access(path.join(dir, ENSEMBLE_FILE)).then(
      () => true,
      () => false,
    )
  )
    return publishEnsemble(deps, dir, options);
  const artifact = await readLocalArtifact(dir);
  const { metadata } = artifact;
  const existing = await deps.prisma.modelVersion.findUnique({
    where: { name_version: { name: metadata.name, version: metadata.version } },
  });
  if (existing && existing.artifactSha256 !== artifact.sha256) {
    throw new Error(
      `${metadata.name}@${metadata.version} is already registered with different files; bump the version`,
    );
  }
  const prefix = modelArtifactPrefix(metadata.name, metadata.version);
  if (!existing) {
    for (const file of artifact.files)
      await deps.objectStore.put(prefix + file.name, file.bytes, "application/octet-stream");
  }
  return deps.prisma.$transaction(async (tx) => {
    if (options.activate)
      await tx.modelVersion.updateMany({ where: { task: metadata.task, active: true }, data: { active: false } });
    const data = {
      architecture: metadata.architecture,
      task: metadata.task,
      classes: metadata.classes,
      inputSize: metadata.inputSize,
      stainNormalization: metadata.stainNormalization,
      metrics: (metadata.metrics ?? {}) as object,
      operatingPoint: metadata.operatingPoint,
      artifactUri: `s3://${deps.objectStore.bucket}/${prefix}`,
      artifactSha256: artifact.sha256,
    };
    return tx.modelVersion.upsert({
      where: { name_version: { name: metadata.name, version: metadata.version } },
      create: { name: metadata.name, version: metadata.version, ...data, active: options.activate },
      update: options.activate ? { active: true } : {},
    });
  });
}
