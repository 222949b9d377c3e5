import { enqueue, type LeukoflowQueue, type PrismaClient } from "@leukoflow/shared";

const BATCH = 100;

/**
 * Hands each newly completed specimen to the webhook queue once. Workers complete specimens in
 * Postgres; this finds completions not yet handed on, claims each (so several ingest replicas never
 * double-send) and enqueues its delivery, or only marks it when the lab has no webhook.
 */
export class CompletionDispatcher {
  constructor(private readonly deps: { prisma: PrismaClient; webhookQueue: LeukoflowQueue<"webhooks"> }) {}

  /** Returns how many deliveries it enqueued. */
  async dispatchPending(): Promise<number> {
    const { prisma } = this.deps;
    const completed = await prisma.specimen.findMany({
      where: { completionNotifiedAt: null, completedAt: { not: null } },
      select: { id: true, completedAt: true, lab: { select: { webhookUrl: true } } },
      orderBy: { completedAt: "asc" },
      take: BATCH,
    });
    let enqueued = 0;
    for (const specimen of completed) {
      const completedAt = specimen.completedAt!;
      const claim = await prisma.specimen.updateMany({
        where: { id: specimen.id, completedAt, completionNotifiedAt: null },
        data: { completionNotifiedAt: new Date() },
      });
      if (claim.count === 0 || !specimen.lab.webhookUrl) continue;
      try {
        const payload = { v: 1 as const, specimenId: specimen.id, completedAt: completedAt.toISOString() };
        await enqueue(this.deps.webhookQueue, "deliver-specimen-webhook", payload, `specimen-completed-${specimen.id}-${completedAt.getTime()}`);
        enqueued += 1;
      } catch (error) {
        await prisma.specimen.updateMany({ where: { id: specimen.id }, data: { completionNotifiedAt: null } });
        throw error;
      }
    }
    return enqueued;
  }
}
