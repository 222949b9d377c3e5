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
import { proxyInFront, type TcpProxy } from "../../test/support/tcp-proxy.js";
import { postgresCounter, redisCounter, type PostgresCounts } from "../../test/support/wire-counters.js";

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
  /** What the LeukoFlow processes asked Postgres and Redis for so far; only with `countRoundTrips`. */
  roundTrips?: () => RoundTrips;
  close(): Promise<void>;
}

export interface RoundTrips {
  postgres: PostgresCounts;
  redis: { commands: number };
}

/**
 * Proxies counting every Postgres message and Redis command the LeukoFlow processes send; the
 * bench's own queries go direct. The extra hop costs the bench process CPU and each request a
 * little latency, so a run that counts gives counts, not rates to compare with one that does not.
 */
async function countingProxies(databaseUrl: string, redisUrl: string) {
  const postgres = postgresCounter();
  const redis = redisCounter();
  const toPostgres = await proxyInFront(databaseUrl, 5432, postgres.watchClient);
  const toRedis = await proxyInFront(redisUrl, 6379, redis.watchClient);
  return {
    env: { DATABASE_URL: toPostgres.url, REDIS_URL: toRedis.url },
    roundTrips: (): RoundTrips => ({ postgres: postgres.counts(), redis: redis.counts() }),
    proxies: [toPostgres.proxy, toRedis.proxy] satisfies TcpProxy[],
  };
}

/**
 * The machine's Redis and Postgres (REDIS_URL / POSTGRES_SERVER_URL, else 127.0.0.1 defaults) with a
 * fresh migrated database and key prefix of its own, and an s3rver started for this run in a
 * process of its own; with `countRoundTrips`, the processes reach Postgres and Redis through counting proxies.
 */
export async function startBenchServices({ countRoundTrips = false } = {}): Promise<BenchServices> {
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
  const counting = countRoundTrips ? await countingProxies(databaseUrl, redisUrl) : undefined;
  Object.assign(env, counting?.env);
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
    ...(counting && { roundTrips: counting.roundTrips }),
    close: async () => {
      await Promise.all(counting?.proxies.map((proxy) => proxy.close()) ?? []);
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
