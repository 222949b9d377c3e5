import { createLogger, createPrismaClient, createProcessor, createRedisConnection, objectStoreFromEnv } from "@leukoflow/shared";
import { selectBackend } from "@leukoflow/ml";
import { Worker } from "bullmq";
import { classifyImage } from "./classify-handler.js";
import type { InferenceEnv } from "./env.js";
import { loadActiveModel } from "./model-registry/load-active-model.js";

export interface RunningInferenceWorker {
  worker: Worker;
  backend: string;
  close(): Promise<void>;
}

export async function startInferenceWorker(env: InferenceEnv): Promise<RunningInferenceWorker> {
  const logger = createLogger("inference-worker", env.LOG_LEVEL);
  const backend = await selectBackend(env.TF_BACKEND, (message) => logger.info(message));
  const prisma = createPrismaClient(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  const connection = createRedisConnection(env.REDIS_URL);
  const objectStore = objectStoreFromEnv(env);
  const model = await loadActiveModel({ prisma, objectStore }, env.MODEL_CACHE_DIR);
  logger.info({ backend, model: `${model.version.name}@${model.version.version}` }, "model loaded");

  const processor = createProcessor("inference", {
    "classify-image": (payload, job) => classifyImage({ prisma, objectStore, logger, model: () => model }, payload, job),
  });
  const worker = new Worker("inference", processor, {
    connection,
    prefix: env.QUEUE_PREFIX,
    concurrency: env.INFERENCE_CONCURRENCY,
  });
  worker.on("failed", (job, error) => logger.warn({ jobId: job?.id, err: error }, "classify job failed"));
  await worker.waitUntilReady();
  logger.info({ concurrency: env.INFERENCE_CONCURRENCY }, "inference worker ready");
  return {
    worker,
    backend,
    close: async () => {
      await worker.close();
      model.classifier.dispose();
      connection.disconnect();
      await prisma.$disconnect();
      objectStore.destroy();
    },
  };
}
