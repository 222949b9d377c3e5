import { enqueue, type LeukoflowQueue, type PrismaClient } from "@leukoflow/shared";

const BATCH = 100;

/**
 * Hands each newly completed specimen to the webhook queue once. Workers complete specimens in
 * Postgres; this finds completions not yet handed on, enqueues each delivery and only then marks
 * the specimen notified (or only marks it when the lab has no webhook). A crash between the two
 * leaves it unmarked, so the next run enqueues it again under the same job id: BullMQ keeps the
 * first job (completed jobs for a day), so it is delivered once. Replicas racing do the same.
 */
export class CompletionDispatcher {
  constructor(private readonly deps: { prisma: PrismaClient; webhookQueue: LeukoflowQueue<"webhooks"> }) {}

  /** Returns how many completions it handed to the webhook queue. */
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
      if (specimen.lab.webhookUrl) {
        const payload = { v: 1 as const, specimenId: specimen.id, completedAt: completedAt.toISOString() };
        await enqueue(
          this.deps.webhookQueue,
          "deliver-specimen-webhook",
          payload,
          `specimen-completed-${specimen.id}-${completedAt.getTime()}`,
        );
      }
      const marked = await prisma.specimen.updateMany({
        where: { id: specimen.id, completedAt, completionNotifiedAt: null },
        data: { completionNotifiedAt: new Date() },
      });
      if (marked.count > 0 && specimen.lab.webhookUrl) enqueued += 1;
    }
    return enqueued;
  }
}
