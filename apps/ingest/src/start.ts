import { createLogger, createPrismaClient, createQueue, createRedisConnection, objectStoreFromEnv } from "@leukoflow/shared";
import type { IngestEnv } from "./env.js";
import { buildServer } from "./server.js";

export interface RunningIngest {
  url: string;
  close(): Promise<void>;
}

/** Wires the ingest API to its services and starts listening. */
export async function startIngest(env: IngestEnv): Promise<RunningIngest> {
  const logger = createLogger("ingest", env.LOG_LEVEL);
  const prisma = createPrismaClient(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  const redis = createRedisConnection(env.REDIS_URL);
  const preprocessQueue = createQueue("preprocess", redis, env.QUEUE_PREFIX);
  const objectStore = objectStoreFromEnv(env);
  await objectStore.ensureBucket();
  const app = await buildServer({
    prisma,
    objectStore,
    preprocessQueue,
    redis,
    logger,
    limits: { maxUploadBytes: env.MAX_UPLOAD_BYTES, maxFilesPerRequest: env.MAX_FILES_PER_REQUEST },
  });
  const url = await app.listen({ host: env.HOST, port: env.PORT });
  logger.info({ url }, "ingest listening");
  return {
    url,
    close: async () => {
      await app.close();
      await preprocessQueue.close();
      redis.disconnect();
      await prisma.$disconnect();
      objectStore.destroy();
    },
  };
}
