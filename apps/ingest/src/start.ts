import { createLogger, createPrismaClient, createQueue, createRedisConnection, objectStoreFromEnv } from "@leukoflow/shared";
import type { IngestEnv } from "./env.js";
import { buildServer, ingestLimits } from "./server.js";
import { CompletionDispatcher } from "./webhooks/completion-dispatcher.js";
import { startWebhookWorker } from "./webhooks/webhook-worker.js";

export interface RunningIngest {
  url: string;
  close(): Promise<void>;
}

/** Wires the ingest API to its services, starts the completion webhooks and starts listening. */
export async function startIngest(env: IngestEnv): Promise<RunningIngest> {
  const logger = createLogger("ingest", env.LOG_LEVEL);
  const prisma = createPrismaClient(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  const redis = createRedisConnection(env.REDIS_URL);
  const preprocessQueue = createQueue("preprocess", redis, env.QUEUE_PREFIX);
  const webhookQueue = createQueue("webhooks", redis, env.QUEUE_PREFIX);
  const objectStore = objectStoreFromEnv(env);
  await objectStore.ensureBucket();
  const app = await buildServer({ prisma, objectStore, preprocessQueue, redis, logger, limits: ingestLimits(env) });
  const webhookWorker = startWebhookWorker({
    prisma,
    connection: redis,
    prefix: env.QUEUE_PREFIX,
    concurrency: env.WEBHOOK_CONCURRENCY,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
  });
  const dispatcher = new CompletionDispatcher({ prisma, webhookQueue, logger, pollMs: env.PROGRESS_POLL_MS });
  dispatcher.start();
  const url = await app.listen({ host: env.HOST, port: env.PORT });
  logger.info({ url }, "ingest listening");
  return {
    url,
    close: async () => {
      await app.close();
      await dispatcher.stop();
      await webhookWorker.close();
      await preprocessQueue.close();
      await webhookQueue.close();
      redis.disconnect();
      await prisma.$disconnect();
      objectStore.destroy();
    },
  };
}
