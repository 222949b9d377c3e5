import type { Queue } from "bullmq";
import { describe, expect, it } from "vitest";
import { createPipelineMetrics } from "./pipeline-metrics.js";
import { exportQueueDepth } from "./queue-depth.js";

describe("exportQueueDepth", () => {
  it("leaves the queue series out, and serves the other metrics, when Redis does not answer", async () => {
    const metrics = createPipelineMetrics("test");
    const unanswered = { name: "preprocess", getJobCounts: () => new Promise(() => undefined) } as unknown as Queue;
    exportQueueDepth(metrics, [unanswered]);
    metrics.errors.inc({ stage: "preprocess", type: "Error" });

    const text = await metrics.registry.metrics();
    expect(text).not.toMatch(/^leukoflow_queue_jobs\{/m);
    expect(text).toMatch(/^leukoflow_errors_total\{.*\} 1$/m);
  });
});
