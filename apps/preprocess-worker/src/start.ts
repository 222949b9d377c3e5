import { createPipelineMetrics, dependencyProbes, startWorkerTelemetry } from "@leukoflow/observability";
import {
  closeWorker,
  createLogger,
  createDatabase,
  createProcessor,
  createQueue,
  createRedisConnection,
  logConnectionOutages,
  handBackWhenCancelled,
  objectStoreFromEnv,
  retryPolicyFromEnv,
  SpecimenChangePublisher,
} from "@leukoflow/shared";
import { Worker } from "bullmq";
import sharp from "sharp";
import type { PreprocessEnv } from "./env.js";
import { preprocessImage } from "./preprocess-handler.js";
import { createReviewImagesPool } from "./review-images-pool.js";
import { renderImageReviewImages } from "./review-images-handler.js";

export interface RunningPreprocessWorker {
  worker: Worker;
  /** Where /metrics, /health/live and /health/ready answer. */
  metricsUrl: string;
  close(deadline?: AbortSignal): Promise<void>;
}

export async function startPreprocessWorker(env: PreprocessEnv): Promise<RunningPreprocessWorker> {
  const logger = createLogger("preprocess-worker", env.LOG_LEVEL);
  const db = createDatabase(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  const producerConnection = createRedisConnection(env.REDIS_URL);
  const workerConnection = createRedisConnection(env.REDIS_URL);
  logConnectionOutages(producerConnection, logger, "producer");
  logConnectionOutages(workerConnection, logger, "worker");
  const inferenceQueue = createQueue("inference", producerConnection, env.QUEUE_PREFIX, retryPolicyFromEnv(env));
  const reviewImagesQueue = createQueue("review-images", producerConnection, env.QUEUE_PREFIX, retryPolicyFromEnv(env));
  const shadowQueue = createQueue("shadow-inference", producerConnection, env.QUEUE_PREFIX, retryPolicyFromEnv(env));
  const objectStore = objectStoreFromEnv(env);
  // Parallelism comes from concurrent jobs, so each image gets one libvips thread.
  sharp.concurrency(1);
  const pool = createReviewImagesPool(env.PREPROCESS_CONCURRENCY);

  const deps = {
    db,
    objectStore,
    inferenceQueue,
    shadowQueue,
    reviewImagesQueue,
    changes: new SpecimenChangePublisher(producerConnection, env.QUEUE_PREFIX, logger),
    logger,
    pool,
    maxInputPixels: env.MAX_INPUT_PIXELS,
    fit: env.PREPROCESS_FIT,
  };
  const processor = createProcessor("preprocess", {
    "preprocess-image": (payload, job) => preprocessImage(deps, payload, job),
  });
  const worker = new Worker("preprocess", handBackWhenCancelled(processor), {
    connection: workerConnection,
    prefix: env.QUEUE_PREFIX,
    concurrency: env.PREPROCESS_CONCURRENCY,
  });
  worker.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, "preprocess job failed"));
  // Review images render on as many pool threads as the hot path has jobs, so they never take more cores.
  const reviewWorker = new Worker(
    "review-images",
    handBackWhenCancelled(
      createProcessor("review-images", { "render-review-images": (payload) => renderImageReviewImages(deps, payload) }),
    ),
    { connection: workerConnection, prefix: env.QUEUE_PREFIX, concurrency: env.PREPROCESS_CONCURRENCY },
  );
  reviewWorker.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, "review-images job failed"));
  await Promise.all([worker.waitUntilReady(), reviewWorker.waitUntilReady()]);
  const telemetry = await startWorkerTelemetry({
    metrics: createPipelineMetrics("preprocess-worker"),
    worker,
    queueNames: ["preprocess", "inference"],
    connection: producerConnection,
    prefix: env.QUEUE_PREFIX,
    server: env,
    logger,
    probes: dependencyProbes({ db, redis: producerConnection, objectStore }),
  });
  logger.info({ concurrency: env.PREPROCESS_CONCURRENCY }, "preprocess worker ready");
  return {
    worker,
    metricsUrl: telemetry.url,
    close: async (deadline) => {
      await Promise.all([closeWorker(worker, deadline), closeWorker(reviewWorker, deadline)]);
      await telemetry.close();
      await pool.close();
      await Promise.all([inferenceQueue.close(), reviewImagesQueue.close(), shadowQueue.close()]);
      producerConnection.disconnect();
      workerConnection.disconnect();
      await db.disconnect();
      objectStore.destroy();
    },
  };
}
