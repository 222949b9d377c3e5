import { isDeepStrictEqual } from "node:util";
import { type Database, type ModelVersion } from "@leukoflow/shared";
import { CHANGE_ACTIONS, recordChange, type ChangeAuthor } from "./change-record.js";
import { findModelVersion, modelRef } from "./model-ref.js";
import { malignantThresholds } from "@leukoflow/contracts";
import { endShadowInTransaction } from "./shadow.js";

/** A fine-tuned version (`train --init-from`) that has never scored live images in shadow. */
export class ShadowRequiredError extends Error {
  override readonly name = "ShadowRequiredError";
}

export interface ActivationOptions {
  /**
   * Activate a fine-tuned version that has not scored live images in shadow (recorded as
   * skippedShadow); the shipped default (`models sync`, the demo) is evaluated offline instead.
   */
  skipShadow?: boolean;
}

/**
 * Makes `version` the one the workers serve for its task, inside the caller's transaction, and
 * records it; when the malignant thresholds in use move with it, that is recorded too. Already active: nothing changes.
 * A version in shadow is promoted: its shadow ends (recorded) as it becomes active. A fine-tuned
 * version (its artifact records initialisedFrom) is refused until it has scored live images in
 * shadow, unless `skipShadow`.
 */
export async function activateInTransaction(
  tx: Database,
  version: ModelVersion,
  author: ChangeAuthor,
  options: ActivationOptions = {},
): Promise<ModelVersion> {
  const previous = await tx.modelVersions.findActive(version.task);
  if (previous?.id === version.id) return version;
  const unshadowed = version.initialisedFrom !== null && (await tx.shadowPredictions.count(version.id)) === 0;
  if (unshadowed && !options.skipShadow)
    throw new ShadowRequiredError(
      `${modelRef(version)} was fine-tuned from ${version.initialisedFrom} and has not scored live images in shadow: run \`leukoflow models shadow ${modelRef(version)} --reason <why>\`, then \`models compare ${modelRef(version)}\`, before activating it (or activate with --skip-shadow, recorded)`,
    );
  if (version.shadowSample !== null) await endShadowInTransaction(tx, version, author, { promoted: true });
  const activated = await tx.modelVersions.makeActive(version.task, version.id);
  const event = { entityType: "model_version", entityId: version.id, model: modelRef(version) } as const;
  await recordChange(tx, author, {
    ...event,
    action: CHANGE_ACTIONS.activated,
    details: { previous: previous ? modelRef(previous) : null, ...(unshadowed ? { skippedShadow: true } : {}) },
  });
  if (!previous) return activated;
  const from = malignantThresholds(previous.operatingPoint);
  const to = malignantThresholds(version.operatingPoint);
  if (!isDeepStrictEqual(from, to))
    await recordChange(tx, author, { ...event, action: CHANGE_ACTIONS.operatingPointChanged, details: { from, to } });
  return activated;
}

/** `models activate`: promotes a registered version (name@version). */
export async function activateModelVersion(
  db: Database,
  ref: string,
  author: ChangeAuthor,
  options: ActivationOptions = {},
): Promise<ModelVersion> {
  return db.transaction(async (tx) => activateInTransaction(tx, await findModelVersion(tx, ref), author, options));
}
