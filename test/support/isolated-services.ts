import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { Database, ObjectStore } from "@leukoflow/shared";
import { createPrismaClient, type PrismaClient } from "@leukoflow/shared/prisma";
import { Redis } from "ioredis";
import { adminQuery } from "./admin-query.js";
import { deleteKeysWithPrefix } from "./redis-keys.js";
import type {} from "./service-urls.js"; // declares what inject("services") returns

export interface IsolatedServices {
  /** The environment a LeukoFlow process would get to use exactly these resources. */
  env: Record<string, string>;
  prisma: PrismaClient;
  /** The same pool as `prisma`, as the code under test sees the database. */
  db: Database;
  objectStore: ObjectStore;
  redis: Redis;
}

/**
 * Gives the calling test file its own database (cloned from the migrated template), its own Redis
 * key prefix and its own bucket, and removes them afterwards. Call at the top level of a test file.
 */
export function useIsolatedServices(): IsolatedServices {
  const services = inject("services");
  const id = randomBytes(5).toString("hex");
  const database = `leukoflow_t_${id}`;
  const env: Record<string, string> = {
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
    DATABASE_URL: new URL(database, services.postgresServerUrl).toString(),
    REDIS_URL: services.redisUrl,
    QUEUE_PREFIX: `{lf-test-${id}}`,
    S3_ENDPOINT: services.s3.endpoint,
    S3_REGION: services.s3.region,
    S3_BUCKET: `lf-test-${id}`,
    S3_ACCESS_KEY_ID: services.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: services.s3.secretAccessKey,
    // Workers' metrics servers on a free port each, so test files running side by side never collide.
    METRICS_HOST: "127.0.0.1",
    METRICS_PORT: "0",
    OPERATOR_HOST: "127.0.0.1",
    OPERATOR_PORT: "0",
    // The review workstation ingest serves at /app/, as apps/web's build writes it.
    WEB_APP_DIR: path.resolve(import.meta.dirname, "..", "..", "apps", "web", "dist", "app"),
  };
  const isolated = { env } as IsolatedServices;

  beforeAll(async () => {
    await adminQuery(
      services.postgresServerUrl,
      `CREATE DATABASE "${database}" TEMPLATE "${services.templateDatabase}"`,
    );
    isolated.prisma = createPrismaClient(env.DATABASE_URL!, 5);
    isolated.db = new Database(isolated.prisma);
    isolated.redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
    isolated.objectStore = new ObjectStore({
      endpoint: services.s3.endpoint,
      region: services.s3.region,
      bucket: env.S3_BUCKET!,
      accessKeyId: services.s3.accessKeyId,
      secretAccessKey: services.s3.secretAccessKey,
    });
    await isolated.objectStore.ensureBucket();
  });

  afterAll(async () => {
    await isolated.prisma?.$disconnect();
    if (isolated.redis) {
      await deleteKeysWithPrefix(isolated.redis, env.QUEUE_PREFIX!);
      isolated.redis.disconnect();
    }
    isolated.objectStore?.destroy();
    await adminQuery(services.postgresServerUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  return isolated;
}
