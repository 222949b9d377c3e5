import path from "node:path";
import { createLogger, createDatabase, createQueue, objectStoreFromEnv } from "@leukoflow/shared";
import { Redis } from "ioredis";
import { loadIngestEnv } from "./env.js";
import { buildServer, ingestLimits } from "./server.js";

/** Where the document is committed; packages/api-client's types are generated from it (`npm run openapi`). */
export const OPENAPI_FILE = path.resolve(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "packages",
  "api-client",
  "openapi.json",
);

/**
 * The OpenAPI document the server serves at /docs/json, from a server whose dependencies are never
 * connected to: its routes and schemas are all the document needs.
 */
export async function openApiDocument(): Promise<string> {
  const nowhere = "127.0.0.1:1";
  const env = loadIngestEnv({
    DATABASE_URL: `postgresql://openapi@${nowhere}/none`,
    REDIS_URL: `redis://${nowhere}`,
    S3_ENDPOINT: `http://${nowhere}`,
    S3_BUCKET: "none",
    S3_ACCESS_KEY_ID: "none",
    S3_SECRET_ACCESS_KEY: "none",
  });
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true });
  const app = await buildServer({
    db: createDatabase(env.DATABASE_URL, 1),
    objectStore: objectStoreFromEnv(env),
    preprocessQueue: createQueue("preprocess", redis, env.QUEUE_PREFIX),
    redis,
    logger: createLogger("openapi", "silent"),
    limits: ingestLimits(env),
  });
  await app.ready();
  const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  redis.disconnect();
  return document;
}
