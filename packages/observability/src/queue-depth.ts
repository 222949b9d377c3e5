import type { JobType, Queue } from "bullmq";
import { Gauge } from "prom-client";
import type { PipelineMetrics } from "./pipeline-metrics.js";

/** Every state BullMQ keeps jobs in; `prioritized` and `delayed` are backlog KEDA scales on too. */
export const QUEUE_STATES = [
  "waiting", "prioritized", "delayed", "active", "waiting-children", "completed", "failed",
] as const satisfies readonly JobType[];

/** Exports `leukoflow_queue_jobs{queue,state}`, read from Redis at each scrape. */
export function exportQueueDepth(metrics: PipelineMetrics, queues: Queue[]): void {
  new Gauge({
    name: "leukoflow_queue_jobs",
    help: "Jobs per queue and state",
    labelNames: ["queue", "state"],
    registers: [metrics.registry],
    async collect() {
      const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...QUEUE_STATES)));
      queues.forEach((queue, i) => {
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[i]![state] ?? 0);
      });
    },
  });
}
