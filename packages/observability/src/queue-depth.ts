import type { JobType, Queue } from "bullmq";
import { Gauge } from "prom-client";
import type { PipelineMetrics } from "./pipeline-metrics.js";
import { withTimeout } from "./with-timeout.js";

/** Every state BullMQ keeps jobs in; `prioritized` and `delayed` are backlog KEDA scales on too. */
export const QUEUE_STATES = [
  "waiting",
  "prioritized",
  "delayed",
  "active",
  "waiting-children",
  "completed",
  "failed",
] as const satisfies readonly JobType[];

/** A scrape gives up on Redis after this; ioredis makes commands wait, not fail, while Redis is away. */
export const COLLECT_TIMEOUT_MS = 2_000;

/**
 * Exports `leukoflow_queue_jobs{queue,state}`, read from Redis at each scrape. When Redis does not
 * answer the series are left out, so the rest of the process's metrics are still served.
 */
export function exportQueueDepth(metrics: PipelineMetrics, queues: Queue[]): void {
  new Gauge({
    name: "leukoflow_queue_jobs",
    help: "Jobs per queue and state",
    labelNames: ["queue", "state"],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const counts = await withTimeout(
        Promise.all(queues.map((queue) => queue.getJobCounts(...QUEUE_STATES))),
        COLLECT_TIMEOUT_MS,
      ).catch(() => undefined);
      if (!counts) return;
      queues.forEach((queue, i) => {
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[i]![state] ?? 0);
      });
    },
  });
}
