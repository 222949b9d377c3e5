import { ImageStatus } from "./generated/prisma/enums.js";
import type { SpecimenChangePublisher } from "./queues/specimen-changes.js";
import type { Database } from "./repositories/database.js";
import { completeSpecimenIfSettled } from "./specimen-completion.js";

/** Records why an image cannot be classified, lets its specimen complete without it, and says so to its streams. */
export async function failImage(
  deps: { db: Database; changes: SpecimenChangePublisher },
  imageId: string,
  reason: string,
): Promise<void> {
  const image = await deps.db.images.markFailed(imageId, reason);
  await completeSpecimenIfSettled(deps.db, image.specimenId);
  await deps.changes.publishImages([{ ...image, imageId }], ImageStatus.FAILED);
}

/**
 * The reason recorded when a job's retries are spent: how many attempts, and what the last one met,
 * naming object storage's HTTP status when it was storage that failed (its errors carry $metadata).
 */
export function retriesSpentReason(attempts: number, error: unknown): string {
  const { name, message, $metadata } = error as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const cause = `${name ?? "Error"}: ${message ?? String(error)}`;
  const status = $metadata?.httpStatusCode;
  return `gave up after ${attempts} attempts; the last failed with ${status ? `object storage answering HTTP ${status} (${cause})` : cause}`;
}
