import { createHash } from "node:crypto";
import { isUniqueViolation, type Database } from "@leukoflow/shared";
import { HttpProblem } from "../problem.js";

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

export interface IdempotentResult extends StoredResponse {
  replayed: boolean;
}

/** Identifies a request by what it asks for, so the same key reused for another request is caught. */
export function requestFingerprint(method: string, route: string, body: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify([method, route, sortedKeys(body)]))
    .digest("hex");
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, sortedKeys(v)]),
  );
}

/**
 * Runs a create once per (lab, Idempotency-Key): the first successful response is stored in the same
 * transaction as the create, and a repeat of the same request gets it back. Failed attempts store
 * nothing, so the client may retry them with the same key.
 */
export async function runIdempotently(
  db: Database,
  scope: { labId: string; key: string; fingerprint: string },
  create: (tx: Database) => Promise<StoredResponse>,
): Promise<IdempotentResult> {
  const replay = async () => {
    const stored = await db.labs.findIdempotencyKey(scope.labId, scope.key);
    if (!stored) return null;
    if (stored.requestHash !== scope.fingerprint) {
      throw new HttpProblem(422, "idempotency-key-reused", "Idempotency-Key already used for a different request");
    }
    return { statusCode: stored.statusCode, body: stored.response, replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await db.transaction(async (tx) => {
      // Inserted first: a concurrent request with the same key waits on this row, then replays.
      await tx.labs.reserveIdempotencyKey(scope.labId, scope.key, scope.fingerprint);
      const response = await create(tx);
      await tx.labs.storeIdempotentResponse(scope.labId, scope.key, response.statusCode, response.body);
      return { ...response, replayed: false };
    });
  } catch (error) {
    const raced = isUniqueViolation(error) ? await replay() : null;
    if (raced) return raced;
    throw error;
  }
}
