import { enqueue, type LeukoflowQueue, type Logger, type PrismaClient } from "@leukoflow/shared";

export interface CompletionDispatcherDeps {
  prisma: PrismaClient;
  webhookQueue: LeukoflowQueue<"webhooks">;
  logger: Logger;
  pollMs: number;
}

const BATCH = 100;

/**
 * Hands each newly completed specimen to the webhook queue once. Workers complete specimens in
 * Postgres; this polls for completions not yet handed on, claims each (so several ingest replicas
 * never double-send) and enqueues its delivery, or just marks it when the lab has no webhook.
 */
export class CompletionDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: CompletionDispatcherDeps) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.dispatchPending()
        .then(() => undefined, (error: unknown) => this.deps.logger.error({ err: error }, "completion dispatch failed"))
        .finally(() => (this.running = undefined));
    }, this.deps.pollMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

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
      const claim = await prisma.specimen.updateMany({
        where: { id: specimen.id, completedAt: specimen.completedAt, completionNotifiedAt: null },
        data: { completionNotifiedAt: new Date() },
      });
      if (claim.count === 0 || !specimen.lab.webhookUrl) continue;
      const completedAt = specimen.completedAt!.toISOString();
      try {
        const jobId = `specimen-completed-${specimen.id}-${specimen.completedAt!.getTime()}`;
        await enqueue(this.deps.webhookQueue, "deliver-specimen-webhook", { v: 1, specimenId: specimen.id, completedAt }, jobId);
        enqueued += 1;
      } catch (error) {
        await prisma.specimen.updateMany({ where: { id: specimen.id }, data: { completionNotifiedAt: null } });
        throw error;
      }
    }
    return enqueued;
  }
}
