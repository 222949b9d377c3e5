import { dependencyProbes, observeClassifier, startWorkerTelemetry } from "@leukoflow/observability";
import { closeWorker, createProcessor, handBackWhenCancelled } from "@leukoflow/shared";
import { Worker } from "bullmq";
import type { InferenceEnv } from "../env.js";
import { openInferenceProcess } from "../inference-process.js";
import type { RunningInferenceWorker } from "../start.js";
import { scoreShadow } from "./score-shadow-handler.js";
import { startShadowService } from "./shadow-service.js";

/**
 * Lock of a shadow job. The worker starts before any version is in shadow, so its batch time is not
 * known when the Worker is made (the active path measures it: classifyLockDurationMs); a shadow job
 * nobody waits on can hold a long lock: a crashed worker's job is run again 5 minutes later.
 */
export const SHADOW_LOCK_DURATION_MS = 300_000;

/**
 * An inference worker with INFERENCE_ROLE=shadow: a process of its own that consumes only the
 * shadow-inference queue and scores with the version in shadow (none: it idles). It never takes a
 * classify or Grad-CAM job, so the active path's workers, batches and latency are untouched by it.
 */
export async function startShadowWorker(env: InferenceEnv): Promise<RunningInferenceWorker> {
  const { logger, backend, db, connection, objectStore, metrics } = await openInferenceProcess(
    "inference-worker-shadow",
    env,
  );
  const service = await startShadowService({ db, objectStore, logger }, env, (classifier) =>
    observeClassifier(metrics, classifier),
  );
  const worker = new Worker(
    "shadow-inference",
    handBackWhenCancelled(
      createProcessor("shadow-inference", {
        "score-shadow": (payload, job) => scoreShadow(service.scoreDeps, payload, job),
      }),
    ),
    {
      connection,
      prefix: env.QUEUE_PREFIX,
      concurrency: env.INFERENCE_CONCURRENCY,
      lockDuration: SHADOW_LOCK_DURATION_MS,
    },
  );
  worker.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, "shadow job failed"));
  await worker.waitUntilReady();
  const telemetry = await startWorkerTelemetry({
    metrics,
    worker,
    queueNames: ["shadow-inference"],
    connection,
    prefix: env.QUEUE_PREFIX,
    server: env,
    logger,
    // Ready without a version in shadow: there is nothing to score then.
    probes: dependencyProbes({ db, redis: connection, objectStore }),
  });
  const loaded = service.slot.version;
  logger.info(
    {
      model: loaded ? `${loaded.name}@${loaded.version}` : null,
      concurrency: env.INFERENCE_CONCURRENCY,
      maxBatchSize: env.INFERENCE_MAX_BATCH_SIZE,
    },
    "shadow inference worker ready",
  );
  return {
    worker,
    backend,
    engines: [],
    metricsUrl: telemetry.url,
    close: async (deadline) => {
      await closeWorker(worker, deadline);
      await telemetry.close();
      await service.close();
      connection.disconnect();
      await db.disconnect();
      objectStore.destroy();
    },
  };
}
