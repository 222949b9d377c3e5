import { isDeepStrictEqual } from "node:util";
import { type Database, type ModelVersion } from "@leukoflow/shared";
import { CHANGE_ACTIONS, recordChange, type ChangeAuthor } from "./change-record.js";
import { findModelVersion, modelRef } from "./model-ref.js";
import { malignantThresholds } from "@leukoflow/contracts";

/**
 * Makes `version` the one the workers serve for its task, inside the caller's transaction, and
 * records it; when the malignant thresholds in use move with it, that is recorded too. Already active: nothing changes.
 */
export async function activateInTransaction(
  tx: Database,
  version: ModelVersion,
  author: ChangeAuthor,
): Promise<ModelVersion> {
  const previous = await tx.modelVersions.findActive(version.task);
  if (previous?.id === version.id) return version;
  const activated = await tx.modelVersions.makeActive(version.task, version.id);
  const event = { entityType: "model_version", entityId: version.id, model: modelRef(version) } as const;
  await recordChange(tx, author, {
    ...event,
    action: CHANGE_ACTIONS.activated,
    details: { previous: previous ? modelRef(previous) : null },
  });
  if (!previous) return activated;
  const from = malignantThresholds(previous.operatingPoint);
  const to = malignantThresholds(version.operatingPoint);
  if (!isDeepStrictEqual(from, to))
    await recordChange(tx, author, { ...event, action: CHANGE_ACTIONS.operatingPointChanged, details: { from, to } });
  return activated;
}

/** `models activate`: promotes a registered version (name@version). */
export async function activateModelVersion(db: Database, ref: string, author: ChangeAuthor): Promise<ModelVersion> {
  return db.transaction(async (tx) => activateInTransaction(tx, await findModelVersion(tx, ref), author));
}
