import type { ObjectStore, PrismaClient } from "@leukoflow/shared";

const BATCH = 500;

/** Removes what clients left behind: direct uploads never completed, and idempotency keys past their lifetime. */
export class Housekeeping {
  constructor(private readonly deps: { prisma: PrismaClient; objectStore: ObjectStore; idempotencyKeyTtlMs: number }) {}

  async sweep(now = new Date()): Promise<{ expiredUploads: number; expiredIdempotencyKeys: number }> {
    const { prisma, objectStore } = this.deps;
    const expired = await prisma.directUpload.findMany({ where: { expiresAt: { lt: now } }, take: BATCH });
    let expiredUploads = 0;
    for (const upload of expired) {
      // A concurrent complete may have claimed it; only the one that deletes the row deletes the object.
      const { count } = await prisma.directUpload.deleteMany({ where: { id: upload.id } });
      if (count === 0) continue;
      await objectStore.delete(upload.objectKey);
      expiredUploads += 1;
    }
    const { count: expiredIdempotencyKeys } = await prisma.idempotencyKey.deleteMany({
      where: { createdAt: { lt: new Date(now.getTime() - this.deps.idempotencyKeyTtlMs) } },
    });
    return { expiredUploads, expiredIdempotencyKeys };
  }
}
