import type { Job, Worker } from "bullmq";
import type { PipelineMetrics } from "./pipeline-metrics.js";

/** Records each finished job's processing time and each failure's error type, from the worker's events. */
export function observeWorker(metrics: PipelineMetrics, worker: Worker): void {
  const stage = worker.name;
  const observe = (job: Job, outcome: "completed" | "failed") => {
    if (job.processedOn && job.finishedOn) {
      metrics.jobDuration.observe({ stage, outcome }, (job.finishedOn - job.processedOn) / 1000);
    }
  };
  worker.on("completed", (job) => observe(job, "completed"));
  worker.on("failed", (job, error) => {
    metrics.errors.inc({ stage, type: error.name });
    if (job) observe(job, "failed");
  });
  worker.on("error", (error) => metrics.errors.inc({ stage, type: error.name }));
}
