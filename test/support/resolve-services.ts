import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServiceUrls } from "./service-urls.js";

const TEST_STACK_DIR = path.resolve(import.meta.dirname, "../../.leukoflow/test-stack");

type Resolved = Omit<ServiceUrls, "templateDatabase"> & { stop(): Promise<void> };

/**
 * Real services for the tests, in order of preference: the ones named by REDIS_URL / DATABASE_URL /
 * S3_ENDPOINT, containers when a Docker runtime answers, else the machine's own Postgres and Redis
 * plus an s3rver started for this run.
 */
export async function resolveServices(): Promise<Resolved> {
  const { DATABASE_URL, REDIS_URL, S3_ENDPOINT } = process.env;
  if (DATABASE_URL && REDIS_URL && S3_ENDPOINT) {
    return {
      source: "environment",
      postgresServerUrl: serverUrlOf(DATABASE_URL),
      redisUrl: REDIS_URL,
      s3: {
        endpoint: S3_ENDPOINT,
        accessKeyId: process.env.S3_ACCESS_KEY_ID ?? "S3RVER",
        secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? "S3RVER",
        region: process.env.S3_REGION ?? "us-east-1",
      },
      stop: async () => undefined,
    };
  }
  if (await dockerAnswers()) return startContainers();
  const { ensureRedisAndPostgres, stackDown, startS3Server } = await import("@leukoflow/stack");
  // As `stack up` does: the machine's Redis and PostgreSQL when they answer, else redis-server and the
  // embedded PostgreSQL started here (and stopped after the run); s3rver in this process.
  const { databaseUrl, redisUrl } = await ensureRedisAndPostgres({ stateDir: TEST_STACK_DIR, env: process.env });
  const s3 = await startS3Server({ directory: mkdtempSync(path.join(tmpdir(), "leukoflow-s3-")), port: 0 });
  return {
    source: "local",
    postgresServerUrl: serverUrlOf(databaseUrl),
    redisUrl,
    s3: {
      endpoint: s3.endpoint,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      region: "us-east-1",
    },
    stop: async () => {
      await s3.close();
      await stackDown({ stateDir: TEST_STACK_DIR });
    },
  };
}

function serverUrlOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/";
  return url.toString();
}

async function dockerAnswers(): Promise<boolean> {
  if (!process.env.DOCKER_HOST && !existsSync("/var/run/docker.sock")) return false;
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startContainers(): Promise<Resolved> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const [postgres, redis, minio] = await Promise.all([
    new GenericContainer("postgres:16-alpine")
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: "trust" })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
      .start(),
    new GenericContainer("redis:7-alpine").withExposedPorts(6379).start(),
    new GenericContainer("minio/minio:latest")
      .withEnvironment({ MINIO_ROOT_USER: "leukoflow", MINIO_ROOT_PASSWORD: "leukoflow-test" })
      .withCommand(["server", "/data"])
      .withExposedPorts(9000)
      .withWaitStrategy(Wait.forHttp("/minio/health/ready", 9000))
      .start(),
  ]);
  return {
    source: "testcontainers",
    postgresServerUrl: `postgresql://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/`,
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    s3: {
      endpoint: `http://${minio.getHost()}:${minio.getMappedPort(9000)}`,
      accessKeyId: "leukoflow",
      secretAccessKey: "leukoflow-test",
      region: "us-east-1",
    },
    stop: async () => {
      await Promise.all([postgres.stop(), redis.stop(), minio.stop()]);
    },
  };
}
