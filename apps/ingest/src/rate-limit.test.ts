import { createLogger, createQueue, issueApiKey, type LeukoflowQueue } from "@leukoflow/shared";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";
import { loadIngestEnv } from "./env.js";
import { buildServer, ingestLimits } from "./server.js";

const LIMIT = 6;

describe("rate limit per API key, shared by every ingest replica", () => {
  const harness = useIngestServer({ RATE_LIMIT_PER_KEY: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: "120" });
  const { services } = harness;
  let replica: FastifyInstance;
  let replicaQueue: LeukoflowQueue<"preprocess">;
  let replicaUrl: string;
  let busy: TestLab;
  let quiet: TestLab;

  beforeAll(async () => {
    replicaQueue = createQueue("preprocess", harness.redis, services.env.QUEUE_PREFIX!);
    replica = await buildServer({
      db: services.db,
      objectStore: services.objectStore,
      preprocessQueue: replicaQueue,
      redis: harness.redis,
      logger: createLogger("ingest-replica", "silent"),
      limits: ingestLimits(loadIngestEnv(harness.env)),
    });
    replicaUrl = await replica.listen({ host: "127.0.0.1", port: 0 });
    busy = await createTestLab(services.prisma, "lab-busy");
    quiet = await createTestLab(services.prisma, "lab-quiet");
  });

  afterAll(async () => {
    await replica?.close();
    await replicaQueue?.close();
  });

  const list = (baseUrl: string, key: string) =>
    fetch(`${baseUrl}/v1/specimens`, { headers: { authorization: `Bearer ${key}` } });

  it("answers 429 problem+json with Retry-After once a key spends its budget across both replicas, and only for that key", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++)
      statuses.push((await list(i % 2 === 0 ? harness.baseUrl : replicaUrl, busy.key)).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));

    for (const baseUrl of [harness.baseUrl, replicaUrl]) {
      const limited = await list(baseUrl, busy.key);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("content-type")).toContain("application/problem+json");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await limited.json()) as { type: string }).type).toBe("https://leukoflow.dev/problems/rate-limited");
    }
    expect((await list(harness.baseUrl, quiet.key)).status).toBe(200);
  });

  it("counts by key, so another key of the same lab keeps its own budget, and leaves unauthenticated routes alone", async () => {
    const another = await issueApiKey(services.db, {
      labId: busy.lab.id,
      name: "second",
      scopes: ["READ"],
      actor: "test",
    });
    expect((await list(replicaUrl, busy.key)).status).toBe(429);
    expect((await list(replicaUrl, another.key)).status).toBe(200);
    for (let i = 0; i < LIMIT + 2; i++) expect((await fetch(`${harness.baseUrl}/health/live`)).status).toBe(200);
  });
});
