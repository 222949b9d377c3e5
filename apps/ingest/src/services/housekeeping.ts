import type { Database, ObjectStore } from "@leukoflow/shared";

const BATCH = 500;

/** Removes what clients left behind: direct uploads never completed, and idempotency keys past their lifetime. */
export class Housekeeping {
  constructor(private readonly deps: { db: Database; objectStore: ObjectStore; idempotencyKeyTtlMs: number }) {}

  async sweep(now = new Date()): Promise<{ expiredUploads: number; expiredIdempotencyKeys: number }> {
    const { db, objectStore } = this.deps;
    const expired = await db.images.listExpiredDirectUploads(now, BATCH);
    let expiredUploads = 0;
    for (const upload of expired) {
      // A concurrent complete may have claimed it; only the one that deletes the row deletes the object.
      if (!(await db.images.deleteDirectUpload(upload.id))) continue;
      await objectStore.delete(upload.objectKey);
      expiredUploads += 1;
    }
    const expiredIdempotencyKeys = await db.labs.deleteIdempotencyKeysBefore(
      new Date(now.getTime() - this.deps.idempotencyKeyTtlMs),
    );
    return { expiredUploads, expiredIdempotencyKeys };
  }
}
