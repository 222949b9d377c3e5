import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { applyMigrations, ObjectStore } from "@leukoflow/shared";
import { createPrismaClient, type PrismaClient } from "@leukoflow/shared/prisma";
import { startS3ServerChild } from "@leukoflow/stack";
import { adminQuery } from "../../test/support/admin-query.js";
import { deleteKeysWithPrefix } from "../../test/support/redis-keys.js";

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

export interface BenchServices {
  /** The environment every LeukoFlow process of this run gets. */
  env: Record<string, string>;
  prisma: PrismaClient;
  objectStore: ObjectStore;
  /** Requests the run's s3rver has answered so far, per HTTP method. */
  s3Requests(): Promise<Record<string, number>>;
  /** The process of the run's s3rver (the object store), to count its CPU. */
  objectStorePid: number;
  close(): Promise<void>;
}

/**
 * The machine's Redis and Postgres (REDIS_URL / POSTGRES_SERVER_URL, else 127.0.0.1 defaults) with a
 * fresh migrated database and key prefix of its own, and an s3rver started for this run in a
 * process of its own.
 */
export async function startBenchServices(): Promise<BenchServices> {
  const id = randomBytes(4).toString("hex");
  const serverUrl = process.env.POSTGRES_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432/";
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const database = `leukoflow_bench_${id}`;
  const databaseUrl = new URL(database, serverUrl).toString();
  await adminQuery(serverUrl, `CREATE DATABASE "${database}"`);
  await applyMigrations(databaseUrl, MIGRATIONS_DIR);
  const s3 = await startS3ServerChild({ directory: mkdtempSync(path.join(tmpdir(), "leukoflow-bench-s3-")) });
  const env: Record<string, string> = {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `{lf-bench-${id}}`,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: "us-east-1",
    S3_BUCKET: `lf-bench-${id}`,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    METRICS_HOST: "127.0.0.1",
    METRICS_PORT: "0",
  };
  const prisma = createPrismaClient(databaseUrl, 4);
  const objectStore = new ObjectStore({
    endpoint: s3.endpoint,
    region: "us-east-1",
    bucket: env.S3_BUCKET!,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
  await objectStore.ensureBucket();
  return {
    env,
    prisma,
    objectStore,
    s3Requests: () => s3.requests(),
    objectStorePid: s3.pid,
    close: async () => {
      await prisma.$disconnect();
      objectStore.destroy();
      const redis = new Redis(redisUrl);
      await deleteKeysWithPrefix(redis, env.QUEUE_PREFIX!);
      redis.disconnect();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await s3.close();
    },
  };
}
