import { sameModelInput } from "@leukoflow/ml";
import { SUBTYPE_TASK, type Database, type ModelVersion } from "@leukoflow/shared";
import { CHANGE_ACTIONS, recordChange, type ChangeAuthor } from "./change-record.js";
import { findModelVersion, modelRef } from "./model-ref.js";

/**
 * Shadow models: a registered version scores a sample of live images beside the active one, on the
 * shadow queue and its own workers, into ShadowPrediction (never a result). Its state is
 * ModelVersion.shadowSample (null: not in shadow), at most one per task (partial unique index
 * model_version_one_shadow_per_task); starting and stopping it are recorded as AuditEvents.
 */

/** The share of specimens a shadow scores unless told otherwise. */
export const DEFAULT_SHADOW_SAMPLE = 0.2;

export class ShadowRefusedError extends Error {
  override readonly name = "ShadowRefusedError";
}

/** Ends `version`'s shadow inside the caller's transaction and records it, with how many images it scored. */
export async function endShadowInTransaction(
  tx: Database,
  version: ModelVersion,
  author: ChangeAuthor,
  details: Record<string, unknown> = {},
): Promise<ModelVersion> {
  if (version.shadowSample === null) return version;
  const scored = await tx.shadowPredictions.count(version.id, version.shadowStartedAt);
  const ended = await tx.modelVersions.setShadow(version.id, null);
  await recordChange(tx, author, {
    action: CHANGE_ACTIONS.shadowStopped,
    entityType: "model_version",
    entityId: version.id,
    model: modelRef(version),
    details: { sample: version.shadowSample, scored, ...details },
  });
  return ended;
}

export interface ShadowStarted {
  version: ModelVersion;
  /** The version whose shadow this one replaced, if another was in shadow. */
  replaced: ModelVersion | null;
}

/**
 * `models shadow <name@version> [--sample s]`: the version scores the images of `sample` (0–1] of
 * the specimens beside the active version. It must share the active version's classes and model
 * input (input size and stain normalization): it scores the pixels the preprocess worker made for
 * the active one. Another version of the task in shadow is replaced (its end recorded); the same
 * one at another sample keeps its start and records the new sample.
 */
export async function startShadow(
  db: Database,
  ref: string,
  sample: number,
  author: ChangeAuthor,
): Promise<ShadowStarted> {
  if (!(sample > 0 && sample <= 1)) throw new ShadowRefusedError(`--sample ${sample}: a share of specimens in (0, 1]`);
  return db.transaction(async (tx) => {
    const version = await findModelVersion(tx, ref);
    const active = await tx.modelVersions.findActive(version.task);
    if (!active)
      throw new ShadowRefusedError(`no version of ${version.task} is active: a shadow scores beside the active one`);
    if (active.id === version.id) throw new ShadowRefusedError(`${ref} is the active version`);
    if (version.classes.join() !== active.classes.join())
      throw new ShadowRefusedError(
        `${ref} has classes ${version.classes.join(", ")} and the active ${modelRef(active)} ${active.classes.join(", ")}: they cannot be compared`,
      );
    if (!sameModelInput(version, active))
      throw new ShadowRefusedError(
        `${ref} takes ${version.inputSize} px (${version.stainNormalization}) and the active ${modelRef(active)} ${active.inputSize} px (${active.stainNormalization}): a shadow scores the pixels made for the active version, so it must take the same input`,
      );
    const current = await tx.modelVersions.findShadow(version.task);
    const replaced = current && current.id !== version.id ? current : null;
    if (current?.id === version.id && current.shadowSample === sample) return { version: current, replaced: null };
    if (replaced) await endShadowInTransaction(tx, replaced, author, { replacedBy: ref });
    const started = await tx.modelVersions.setShadow(
      version.id,
      sample,
      current?.id === version.id ? current.shadowStartedAt : new Date(),
    );
    await recordChange(tx, author, {
      action: CHANGE_ACTIONS.shadowStarted,
      entityType: "model_version",
      entityId: version.id,
      model: ref,
      details: {
        sample,
        active: modelRef(active),
        ...(replaced ? { replaced: modelRef(replaced) } : {}),
        ...(current?.id === version.id ? { previousSample: current.shadowSample } : {}),
      },
    });
    return { version: started, replaced };
  });
}

/** `models shadow --stop [name@version]`: ends the shadow of that version, or of whichever version of the subtype task is in shadow. */
export async function stopShadow(db: Database, author: ChangeAuthor, ref?: string): Promise<ModelVersion> {
  return db.transaction(async (tx) => {
    const version =
      ref === undefined ? await tx.modelVersions.findShadow(SUBTYPE_TASK) : await findModelVersion(tx, ref);
    if (!version?.shadowSample)
      throw new ShadowRefusedError(ref ? `${ref} is not in shadow` : "no version is in shadow");
    return endShadowInTransaction(tx, version, author);
  });
}
