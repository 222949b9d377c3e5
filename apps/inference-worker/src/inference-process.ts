import { createPipelineMetrics } from "@leukoflow/observability";
import {
  createDatabase,
  createLogger,
  createRedisConnection,
  logConnectionOutages,
  objectStoreFromEnv,
} from "@leukoflow/shared";
import { selectBackend, selectServingEngine } from "@leukoflow/ml";
import type { InferenceEnv } from "./env.js";

/** What an inference worker process opens first, in either role: its logger, engines, database, worker connection, store and metrics. */
export async function openInferenceProcess(name: "inference-worker" | "inference-worker-shadow", env: InferenceEnv) {
  const logger = createLogger(name, env.LOG_LEVEL);
  const backend = await selectBackend(env.TF_BACKEND, (message) => logger.info(message));
  selectServingEngine({
    engine: env.INFERENCE_ENGINE,
    provider: env.INFERENCE_PROVIDER,
    threads: env.INFERENCE_THREADS,
    log: (message) => logger.warn(message),
  });
  const db = createDatabase(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  const connection = createRedisConnection(env.REDIS_URL);
  logConnectionOutages(connection, logger, "worker");
  const objectStore = objectStoreFromEnv(env);
  const metrics = createPipelineMetrics(name);
  metrics.activeBackend.set({ backend }, 1);
  return { logger, backend, db, connection, objectStore, metrics };
}
