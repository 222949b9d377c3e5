import type { Database } from "@leukoflow/shared";

/**
 * Every change to what the pipeline serves is an AuditEvent (who, when, why), written in the
 * change's own transaction; `leukoflow models history` lists them.
 */
export const CHANGE_ACTIONS = {
  activated: "model.activated",
  operatingPointChanged: "model.operating_point_changed",
  shadowStarted: "model.shadow_started",
  shadowStopped: "model.shadow_stopped",
  datasetExported: "dataset.exported",
} as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[keyof typeof CHANGE_ACTIONS];

/** Who made a change and why. */
export interface ChangeAuthor {
  actor: string;
  reason: string;
}

export interface ChangeEvent {
  action: ChangeAction;
  entityType: "model_version" | "dataset";
  entityId: string;
  /** The model version concerned, as name@version. */
  model?: string;
  labId?: string | null;
  details?: Record<string, unknown>;
}

export async function recordChange(db: Database, author: ChangeAuthor, event: ChangeEvent): Promise<void> {
  await db.labs.recordAudit({
    labId: event.labId ?? null,
    actor: author.actor,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    details: { reason: author.reason, ...(event.model ? { model: event.model } : {}), ...event.details },
  });
}

export interface ChangeRecord {
  at: Date;
  actor: string;
  action: ChangeAction;
  model: string | null;
  reason: string;
  labId: string | null;
  details: Record<string, unknown>;
}

/** The recorded changes, oldest first; `since` and `model` (name@version) narrow them. */
export async function listChanges(
  db: Database,
  filter: { since?: Date; model?: string } = {},
): Promise<ChangeRecord[]> {
  const events = await db.labs.listAuditEvents({ actions: Object.values(CHANGE_ACTIONS), ...filter });
  return events.map((event) => {
    const { reason, model, ...details } = (event.details ?? {}) as Record<string, unknown>;
    return {
      at: event.createdAt,
      actor: event.actor,
      action: event.action as ChangeAction,
      model: typeof model === "string" ? model : null,
      reason: typeof reason === "string" ? reason : "",
      labId: event.labId,
      details,
    };
  });
}
