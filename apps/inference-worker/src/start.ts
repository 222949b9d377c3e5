import { dependencyProbes, observeClassifier, startWorkerTelemetry } from "@leukoflow/observability";
import {
  closeWorker,
  createProcessor,
  createQueue,
  createRedisConnection,
  handBackWhenCancelled,
  logConnectionOutages,
  retryPolicyFromEnv,
  SpecimenChangePublisher,
} from "@leukoflow/shared";
import { Worker } from "bullmq";
import { classifyImage } from "./classify-handler.js";
import { renderGradcam } from "./gradcam-handler.js";
import type { InferenceEnv } from "./env.js";
import { startInferenceService } from "./inference-service.js";
import { openInferenceProcess } from "./inference-process.js";
import { servingEngines } from "./model-registry/served-model.js";
import { startShadowWorker } from "./shadow/start-shadow-worker.js";

export interface RunningInferenceWorker {
  worker: Worker;
  /** The tfjs backend in use: tensorflow (tfjs-node, GPU or CPU), wasm or cpu. */
  backend: string;
  /** What serves the model loaded at start, as engine/device: onnx/cpu, onnx/cuda, tfjs/wasm… (a shadow worker: none) */
  engines: string[];
  /** Where /metrics, /health/live and /health/ready answer. */
  metricsUrl: string;
  close(deadline?: AbortSignal): Promise<void>;
}

/** An inference worker: the active path (classify and Grad-CAM jobs), or with INFERENCE_ROLE=shadow a shadow worker. */
export async function startInferenceWorker(env: InferenceEnv): Promise<RunningInferenceWorker> {
  if (env.INFERENCE_ROLE === "shadow") return startShadowWorker(env);
  const { logger, backend, db, connection, objectStore, metrics } = await openInferenceProcess("inference-worker", env);
  const producerConnection = createRedisConnection(env.REDIS_URL);
  logConnectionOutages(producerConnection, logger, "producer");
  // Images preprocessed for another model than the one served go back through this queue.
  const preprocessQueue = createQueue("preprocess", producerConnection, env.QUEUE_PREFIX, retryPolicyFromEnv(env));
  // Where a lab with eager review images queues each prediction's Grad-CAM.
  const gradcamQueue = createQueue("gradcam", producerConnection, env.QUEUE_PREFIX, retryPolicyFromEnv(env));
  const service = await startInferenceService(
    {
      db,
      objectStore,
      logger,
      preprocessQueue,
      gradcamQueue,
      changes: new SpecimenChangePublisher(producerConnection, env.QUEUE_PREFIX, logger),
    },
    env,
    (classifier) => observeClassifier(metrics, classifier),
  );
  const { version } = service.slot.model;
  const engines = servingEngines(service.slot.model);
  for (const engine of engines) metrics.inferenceEngine.set({ engine }, 1);
  logger.info(
    {
      engine: engines.join(","),
      threads: env.INFERENCE_THREADS,
      backend,
      model: `${version.name}@${version.version}`,
      lockDurationMs: service.lockDurationMs,
    },
    "model loaded",
  );

  const processor = createProcessor("inference", {
    "classify-image": (payload, job) => classifyImage(service.classifyDeps, payload, job),
  });
  const worker = new Worker("inference", handBackWhenCancelled(processor), {
    connection,
    prefix: env.QUEUE_PREFIX,
    concurrency: env.INFERENCE_CONCURRENCY,
    lockDuration: service.lockDurationMs,
  });
  worker.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, "classify job failed"));
  // One Grad-CAM at a time beside the batches: it is for a person who opened an image, never for the result.
  const gradcamWorker = new Worker(
    "gradcam",
    handBackWhenCancelled(
      createProcessor("gradcam", {
        "render-gradcam": (payload) => renderGradcam({ db, objectStore, slot: service.slot }, payload),
      }),
    ),
    { connection, prefix: env.QUEUE_PREFIX, concurrency: 1 },
  );
  gradcamWorker.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, "gradcam job failed"));
  await Promise.all([worker.waitUntilReady(), gradcamWorker.waitUntilReady()]);
  const telemetry = await startWorkerTelemetry({
    metrics,
    worker,
    queueNames: ["inference"],
    connection,
    prefix: env.QUEUE_PREFIX,
    server: env,
    logger,
    // The model is loaded before the worker starts, so a process that answers here has it.
    probes: {
      ...dependencyProbes({ db, redis: connection, objectStore }),
      model: async () => service.slot.model.version.id,
    },
  });
  logger.info(
    {
      engine: engines.join(","),
      backend,
      concurrency: env.INFERENCE_CONCURRENCY,
      maxBatchSize: env.INFERENCE_MAX_BATCH_SIZE,
    },
    "inference worker ready",
  );
  return {
    worker,
    backend,
    engines,
    metricsUrl: telemetry.url,
    close: async (deadline) => {
      await Promise.all([closeWorker(worker, deadline), closeWorker(gradcamWorker, deadline)]);
      await telemetry.close();
      await service.close();
      await Promise.all([preprocessQueue.close(), gradcamQueue.close()]);
      connection.disconnect();
      producerConnection.disconnect();
      await db.disconnect();
      objectStore.destroy();
    },
  };
}
