import { readFile } from "node:fs/promises";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Database, ModelVersion, ObjectStore } from "@leukoflow/shared";
import { ENSEMBLE_FILE, EnsembleDefinition, modelArtifactPrefix, sameMalignantClasses } from "@leukoflow/contracts";
import { ENSEMBLE_ARCHITECTURE, ensembleDigest } from "./ensemble-definition.js";
import { activateInTransaction } from "./activation.js";
import type { PublishOptions } from "./publish-model.js";

export class InvalidEnsembleError extends Error {
  override readonly name = "InvalidEnsembleError";
}

/**
 * Registers `dir/ensemble.json` as a ModelVersion whose members are already registered versions.
 * Its digest covers the members' digests and weights, so name@version always means the same models.
 */
export async function publishEnsemble(
  deps: { db: Database; objectStore: ObjectStore },
  dir: string,
  options: PublishOptions,
): Promise<ModelVersion> {
  const definition = EnsembleDefinition.parse(JSON.parse(await readFile(path.join(dir, ENSEMBLE_FILE), "utf8")));
  const members = await Promise.all(
    definition.members.map(async (member) => {
      const version = await deps.db.modelVersions.findByRef(member.name, member.version);
      if (!version)
        throw new InvalidEnsembleError(`member ${member.name}@${member.version} is not registered; publish it first`);
      if (version.architecture === ENSEMBLE_ARCHITECTURE)
        throw new InvalidEnsembleError(`member ${member.name}@${member.version} is itself an ensemble`);
      return { version, weight: member.weight };
    }),
  );
  const [first] = members;
  const differs = (version: ModelVersion): boolean =>
    version.task !== definition.task ||
    version.classes.join() !== first!.version.classes.join() ||
    !sameMalignantClasses(version.malignantClasses, first!.version.malignantClasses) ||
    version.inputSize !== first!.version.inputSize ||
    version.stainNormalization !== first!.version.stainNormalization;
  if (members.some(({ version }) => differs(version))) {
    throw new InvalidEnsembleError(
      `members of ${definition.name}@${definition.version} must share its task, classes, malignant classes, input size and stain normalization`,
    );
  }
  const resolved = members.map(({ version, weight }) => ({
    name: version.name,
    version: version.version,
    artifactSha256: version.artifactSha256,
    weight,
  }));
  const sha256 = ensembleDigest(definition.name, definition.version, resolved);
  const existing = await deps.db.modelVersions.findByRef(definition.name, definition.version);
  if (existing && existing.artifactSha256 !== sha256) {
    throw new InvalidEnsembleError(
      `${definition.name}@${definition.version} is already registered with different members; bump the version`,
    );
  }
  if (existing && !isDeepStrictEqual(existing.operatingPoint, definition.operatingPoint ?? null)) {
    throw new InvalidEnsembleError(
      `${definition.name}@${definition.version} is already registered with another operating point; bump the version`,
    );
  }
  const key = modelArtifactPrefix(definition.name, definition.version) + ENSEMBLE_FILE;
  if (!existing)
    await deps.objectStore.put(
      key,
      Buffer.from(JSON.stringify({ ...definition, members: resolved }, null, 2)),
      "application/json",
    );

  return deps.db.transaction(async (tx) => {
    const version =
      existing ??
      (await tx.modelVersions.registerEnsemble(
        {
          name: definition.name,
          version: definition.version,
          architecture: ENSEMBLE_ARCHITECTURE,
          task: definition.task,
          classes: first!.version.classes,
          malignantClasses: first!.version.malignantClasses,
          inputSize: first!.version.inputSize,
          stainNormalization: first!.version.stainNormalization,
          metrics: {},
          operatingPoint: definition.operatingPoint,
          artifactUri: `s3://${deps.objectStore.bucket}/${key}`,
          artifactSha256: sha256,
        },
        members,
      ));
    return options.activate ? activateInTransaction(tx, version, options.author, options) : version;
  });
}
