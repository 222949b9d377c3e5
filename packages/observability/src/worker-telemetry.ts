import { createQueue, type Logger } from "@leukoflow/shared";
import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { MetricsServerEnv } from "./metrics-server-env.js";
import { startMetricsServer } from "./metrics-server.js";
import type { PipelineMetrics } from "./pipeline-metrics.js";
import { exportQueueDepth } from "./queue-depth.js";
import type { Probe } from "./readiness.js";
import { observeWorker } from "./worker-metrics.js";
import type { QueueName } from "@leukoflow/contracts";

export interface WorkerTelemetryOptions {
  metrics: PipelineMetrics;
  worker: Worker;
  /** The queues whose depth this process exports: the one it consumes and those it feeds. */
  queueNames: QueueName[];
  connection: Redis;
  prefix: string;
  probes: Record<string, Probe>;
  server: MetricsServerEnv;
  logger: Logger;
}

export interface WorkerTelemetry {
  url: string;
  close(): Promise<void>;
}

/** Instruments a queue worker and serves its /metrics, /health/live and /health/ready. */
export async function startWorkerTelemetry(options: WorkerTelemetryOptions): Promise<WorkerTelemetry> {
  const { metrics, connection, prefix } = options;
  observeWorker(metrics, options.worker);
  const queues = options.queueNames.map((name) => createQueue(name, connection, prefix));
  exportQueueDepth(metrics, queues);
  const server = await startMetricsServer({
    host: options.server.METRICS_HOST,
    port: options.server.METRICS_PORT,
    registry: metrics.registry,
    probes: options.probes,
    logger: options.logger,
  });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}
