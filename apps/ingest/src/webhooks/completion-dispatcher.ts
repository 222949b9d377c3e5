import { enqueue, type Database, type LeukoflowQueue } from "@leukoflow/shared";

const BATCH = 100;

/**
 * Hands each newly completed specimen to the webhook queue once. Workers complete specimens in
 * Postgres; this finds completions not yet handed on, enqueues each delivery and only then marks
 * the specimen notified (or only marks it when the lab has no webhook). A crash between the two
 * leaves it unmarked, so the next run enqueues it again under the same job id: BullMQ keeps the
 * first job (completed jobs for a day), so it is delivered once. Replicas racing do the same.
 */
export class CompletionDispatcher {
  constructor(private readonly deps: { db: Database; webhookQueue: LeukoflowQueue<"webhooks"> }) {}

  /** Returns how many completions it handed to the webhook queue. */
  async dispatchPending(): Promise<number> {
    const completed = await this.deps.db.specimens.listUnnotifiedCompletions(BATCH);
    let enqueued = 0;
    for (const { id, completedAt, webhookUrl } of completed) {
      if (webhookUrl) {
        const payload = { v: 1 as const, specimenId: id, completedAt: completedAt.toISOString() };
        await enqueue(
          this.deps.webhookQueue,
          "deliver-specimen-webhook",
          payload,
          `specimen-completed-${id}-${completedAt.getTime()}`,
        );
      }
      const marked = await this.deps.db.specimens.markCompletionNotified(id, completedAt);
      if (marked && webhookUrl) enqueued += 1;
    }
    return enqueued;
  }
}
