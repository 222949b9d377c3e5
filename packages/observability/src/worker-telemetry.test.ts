import {
  createLogger,
  createQueue,
  createRedisConnection,
  InvalidImageError,
  type LeukoflowQueue,
} from "@leukoflow/shared";
import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { createPipelineMetrics } from "./pipeline-metrics.js";
import { checkReadiness, dependencyProbes } from "./readiness.js";
import { startWorkerTelemetry, type WorkerTelemetry } from "./worker-telemetry.js";

const GOOD = "4b0f7f0e-7f7e-4f3b-9c55-0d8f5c1f7a10";
const BAD = "5c1f8f1f-8f8f-4c4c-8d66-1e9f6d2f8b21";

describe("worker telemetry", () => {
  const services = useIsolatedServices();
  let redis: Redis;
  let queue: LeukoflowQueue<"preprocess">;
  let worker: Worker;
  let telemetry: WorkerTelemetry;

  beforeAll(async () => {
    redis = createRedisConnection(services.env.REDIS_URL!);
    queue = createQueue("preprocess", redis, services.env.QUEUE_PREFIX!);
    const processor = async (job: Job) => {
      if (job.data.imageId === BAD) throw new InvalidImageError("Cannot decode image");
    };
    worker = new Worker("preprocess", processor, { connection: redis, prefix: services.env.QUEUE_PREFIX! });
    telemetry = await startWorkerTelemetry({
      metrics: createPipelineMetrics("test-worker"),
      worker,
      queueNames: ["preprocess", "inference"],
      connection: redis,
      prefix: services.env.QUEUE_PREFIX!,
      server: { METRICS_HOST: "127.0.0.1", METRICS_PORT: 0 },
      probes: dependencyProbes({ db: services.db, redis, objectStore: services.objectStore }),
      logger: createLogger("test", "silent"),
    });
  });

  afterAll(async () => {
    await worker?.close();
    await telemetry?.close();
    await queue?.close();
    redis?.disconnect();
  });

  it("exports queue depth per state, job durations and failures by error type", async () => {
    await queue.add("preprocess-image", { v: 1, imageId: GOOD }, { jobId: GOOD });
    await queue.add("preprocess-image", { v: 1, imageId: BAD }, { jobId: BAD, attempts: 1 });
    await expect.poll(() => queue.getJobCounts("completed", "failed")).toEqual({ completed: 1, failed: 1 });

    const response = await fetch(`${telemetry.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('leukoflow_queue_jobs{queue="preprocess",state="completed",process="test-worker"} 1');
    expect(text).toContain('leukoflow_queue_jobs{queue="preprocess",state="failed",process="test-worker"} 1');
    expect(text).toContain('leukoflow_queue_jobs{queue="inference",state="waiting",process="test-worker"} 0');
    expect(sample(text, "leukoflow_job_duration_seconds_count", { stage: "preprocess", outcome: "completed" })).toBe(1);
    expect(sample(text, "leukoflow_job_duration_seconds_count", { stage: "preprocess", outcome: "failed" })).toBe(1);
    expect(text).toContain(
      'leukoflow_errors_total{stage="preprocess",type="InvalidImageError",process="test-worker"} 1',
    );
    expect(text).toContain("leukoflow_process_resident_memory_bytes");
  });

  it("is live, and ready while Postgres, Redis and object storage answer", async () => {
    expect((await fetch(`${telemetry.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${telemetry.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", database: "ok", redis: "ok", storage: "ok" });
  });

  it("counts a dependency that fails or does not answer as down", async () => {
    const readiness = await checkReadiness(
      {
        redis: () => redis.ping(),
        model: () => Promise.reject(new Error("no model")),
        storage: () => new Promise(() => undefined),
      },
      200,
    );
    expect(readiness).toEqual({ ready: false, checks: { redis: "ok", model: "down", storage: "down" } });
  });
});

/** The value of the one sample of `name` carrying all of `labels`, in Prometheus' text format. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split("\n")
    .find(
      (candidate) =>
        candidate.startsWith(`${name}{`) &&
        Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}
