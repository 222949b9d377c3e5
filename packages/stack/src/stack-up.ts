import { mkdirSync } from "node:fs";
import { ensureDatabase, ensurePostgres } from "./postgres-service.js";
import { ensureRedis } from "./redis-service.js";
import { ensureBucket, ensureS3 } from "./s3-service.js";
import { writeStackEnv, type StackEnv } from "./stack-env.js";
import type { StackOptions } from "./stack-options.js";
import { stackSettings, type StackSettings } from "./stack-settings.js";
import { recordStartedServices } from "./started-services.js";

/**
 * Makes Redis and a PostgreSQL server answer (without creating the database), reusing what runs and
 * starting the rest; `stackDown` with the same state directory stops what it started.
 */
export async function ensureRedisAndPostgres(options: StackOptions): Promise<StackSettings> {
  const { stateDir } = options;
  const settings = stackSettings(options.env ?? process.env);
  mkdirSync(stateDir, { recursive: true });
  // Recorded as soon as started, so that stack down stops it even when a later step fails.
  if (await ensureRedis(settings.redisUrl, stateDir)) recordStartedServices(stateDir, { redis: true });
  recordStartedServices(stateDir, await ensurePostgres(settings, stateDir));
  return settings;
}

/**
 * Makes Redis, PostgreSQL (with its database) and S3 (with its bucket) answer, reusing what already
 * runs and starting the rest; records the result in <stateDir>/stack.env and returns it. Idempotent.
 */
export async function stackUp(options: StackOptions): Promise<StackEnv> {
  const { stateDir } = options;
  const settings = await ensureRedisAndPostgres(options);
  await ensureDatabase(settings.databaseUrl);

  const s3 = await ensureS3(settings, stateDir);
  await ensureBucket(s3, settings.s3Region, settings.s3Bucket);

  const env: StackEnv = {
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: settings.s3Region,
    S3_BUCKET: settings.s3Bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  };
  writeStackEnv(stateDir, env);
  return env;
}
