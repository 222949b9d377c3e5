import { createPipelineMetrics, dependencyProbes, observeClassifier, startWorkerTelemetry } from "@leukoflow/observability";
import {
  closeWorker, createLogger, createPrismaClient, createProcessor, createRedisConnection, handBackWhenCancelled, objectStoreFromEnv,
} from "@leukoflow/shared";
import { selectBackend } from "@leukoflow/ml";
import { Worker } from "bullmq";
import { classifyImage } from "./classify-handler.js";
import type { InferenceEnv } from "./env.js";
import { loadActiveModel } from "./model-registry/load-active-model.js";

export interface RunningInferenceWorker {
  worker: Worker;
  backend: string;
  /** Where /metrics, /health/live and /health/ready answer. */
  metricsUrl: string;
  close(deadline?: AbortSignal): Promise<void>;
}

export async function startInferenceWorker(env: InferenceEnv): Promise<RunningInferenceWorker> {
  const logger = createLogger("inference-worker", env.LOG_LEVEL);
  const backend = await selectBackend(env.TF_BACKEND, (message) => logger.info(message));
  const prisma = createPrismaClient(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  const connection = createRedisConnection(env.REDIS_URL);
  const objectStore = objectStoreFromEnv(env);
  const loaded = await loadActiveModel({ prisma, objectStore }, env.MODEL_CACHE_DIR);
  const metrics = createPipelineMetrics("inference-worker");
  metrics.activeBackend.set({ backend }, 1);
  const model = { ...loaded, classifier: observeClassifier(metrics, loaded.classifier) };
  logger.info({ backend, model: `${model.version.name}@${model.version.version}` }, "model loaded");

  const processor = createProcessor("inference", {
    "classify-image": (payload, job) => classifyImage({ prisma, objectStore, logger, model: () => model }, payload, job),
  });
  const worker = new Worker("inference", handBackWhenCancelled(processor), {
    connection,
    prefix: env.QUEUE_PREFIX,
    concurrency: env.INFERENCE_CONCURRENCY,
  });
  worker.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, "classify job failed"));
  await worker.waitUntilReady();
  const telemetry = await startWorkerTelemetry({
    metrics, worker, queueNames: ["inference"], connection, prefix: env.QUEUE_PREFIX, server: env, logger,
    // The model is loaded before the worker starts, so a process that answers here has it.
    probes: { ...dependencyProbes({ prisma, redis: connection, objectStore }), model: async () => model.version.id },
  });
  logger.info({ concurrency: env.INFERENCE_CONCURRENCY }, "inference worker ready");
  return {
    worker,
    backend,
    metricsUrl: telemetry.url,
    close: async (deadline) => {
      await closeWorker(worker, deadline);
      await telemetry.close();
      model.classifier.dispose();
      connection.disconnect();
      await prisma.$disconnect();
      objectStore.destroy();
    },
  };
}
