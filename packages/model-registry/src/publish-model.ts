import { access } from "node:fs/promises";
import path from "node:path";
import type { Database, ModelVersion, ObjectStore } from "@leukoflow/shared";
import { readLocalArtifact } from "./artifact.js";
import { ENSEMBLE_FILE, modelArtifactPrefix } from "@leukoflow/contracts";
import { activateInTransaction, type ActivationOptions } from "./activation.js";
import type { ChangeAuthor } from "./change-record.js";
import { publishEnsemble } from "./publish-ensemble.js";

/**
 * Whether the published version becomes the one the workers serve for its task; when it does, as
 * `models activate` would make it: recorded with its author, and a fine-tuned version refused
 * unless it has run in shadow or `skipShadow` says why not.
 */
export type PublishOptions = { activate: false } | ({ activate: true; author: ChangeAuthor } & ActivationOptions);

/**
 * Uploads a model artifact to object storage and registers it as a ModelVersion. Publishing the
 * same artifact again is a no-op; a different artifact under an existing name@version is refused.
 * A directory holding ensemble.json registers an ensemble of already registered versions instead.
 */
export async function publishModel(
  deps: { db: Database; objectStore: ObjectStore },
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
  const existing = await deps.db.modelVersions.findByRef(metadata.name, metadata.version);
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
  return deps.db.transaction(async (tx) => {
    const version = await tx.modelVersions.register({
      name: metadata.name,
      version: metadata.version,
      architecture: metadata.architecture,
      task: metadata.task,
      classes: metadata.classes,
      malignantClasses: metadata.malignantClasses,
      inputSize: metadata.inputSize,
      stainNormalization: metadata.stainNormalization ?? "none",
      metrics: metadata.metrics ?? {},
      operatingPoint: metadata.operatingPoint,
      initialisedFrom: metadata.initialisedFrom ?? null,
      artifactUri: `s3://${deps.objectStore.bucket}/${prefix}`,
      artifactSha256: artifact.sha256,
    });
    return options.activate ? activateInTransaction(tx, version, options.author, options) : version;
  });
}
