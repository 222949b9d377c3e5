import {
  createLogger,
  createPrismaClient,
  createProcessor,
  createQueue,
  createRedisConnection,
  objectStoreFromEnv,
} from "@leukoflow/shared";
import { Worker } from "bullmq";
import sharp from "sharp";
import type { PreprocessEnv } from "./env.js";
import { preprocessImage } from "./preprocess-handler.js";
import { createPreprocessPool } from "./preprocess-pool.js";

export interface RunningPreprocessWorker {
  worker: Worker;
  close(): Promise<void>;
}

export async function startPreprocessWorker(env: PreprocessEnv): Promise<RunningPreprocessWorker> {
  const logger = createLogger("preprocess-worker", env.LOG_LEVEL);
  const prisma = createPrismaClient(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  const producerConnection = createRedisConnection(env.REDIS_URL);
  const workerConnection = createRedisConnection(env.REDIS_URL);
  const inferenceQueue = createQueue("inference", producerConnection, env.QUEUE_PREFIX);
  const objectStore = objectStoreFromEnv(env);
  // Parallelism comes from one worker thread per concurrent job, so each image gets one libvips thread.
  sharp.concurrency(1);
  const pool = createPreprocessPool(env.PREPROCESS_CONCURRENCY);

  const deps = {
    prisma, objectStore, inferenceQueue, logger, pool,
    maxInputPixels: env.MAX_INPUT_PIXELS, fit: env.PREPROCESS_FIT, stain: env.STAIN_NORMALIZATION,
  };
  const processor = createProcessor("preprocess", {
    "preprocess-image": (payload, job) => preprocessImage(deps, payload, job),
  });
  const worker = new Worker("preprocess", processor, {
    connection: workerConnection,
    prefix: env.QUEUE_PREFIX,
    concurrency: env.PREPROCESS_CONCURRENCY,
  });
  worker.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, "preprocess job failed"));
  await worker.waitUntilReady();
  logger.info({ concurrency: env.PREPROCESS_CONCURRENCY }, "preprocess worker ready");
  return {
    worker,
    close: async () => {
      await worker.close();
      await pool.close();
      await inferenceQueue.close();
      producerConnection.disconnect();
      workerConnection.disconnect();
      await prisma.$disconnect();
      objectStore.destroy();
    },
  };
}
