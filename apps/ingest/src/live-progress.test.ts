import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadInferenceEnv, startInferenceWorker, type RunningInferenceWorker } from "@leukoflow/inference-worker";
import { publishModel } from "@leukoflow/model-registry";
import { loadPreprocessEnv, startPreprocessWorker, type RunningPreprocessWorker } from "@leukoflow/preprocess-worker";
import { createLogger, createQueue, createRedisConnection, Database } from "@leukoflow/shared";
import type { PrismaClient } from "@leukoflow/shared/prisma";
import { EventSourceParserStream, type EventSourceMessage } from "eventsource-parser/stream";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { createTestLab } from "../../../test/support/labs.js";
import { SHIPPED_MODEL_DIR, TEST_ACTIVATION } from "../../../test/support/pipeline.js";
import { loadIngestEnv } from "./env.js";
import { buildServer, ingestLimits } from "./server.js";

const FILES = 6;

/** The specimen stream is fed by the workers' Redis messages: every image's change arrives, and an idle stream reads nothing. */
describe("live progress through the real workers", () => {
  const services = useIsolatedServices();
  let queries = 0;
  let redis: Redis;
  let app: FastifyInstance;
  let baseUrl: string;
  const workers: (RunningPreprocessWorker | RunningInferenceWorker)[] = [];

  beforeAll(async () => {
    // Every query the server makes, raw ones included, passes through this count.
    const counted = services.prisma.$extends({
      query: {
        async $allOperations({ args, query }) {
          queries += 1;
          return query(args);
        },
      },
    }) as unknown as PrismaClient;
    redis = createRedisConnection(services.env.REDIS_URL!);
    const env = loadIngestEnv(services.env);
    app = await buildServer({
      db: new Database(counted),
      objectStore: services.objectStore,
      preprocessQueue: createQueue("preprocess", redis, env.QUEUE_PREFIX),
      redis,
      logger: createLogger("ingest-test", "silent"),
      limits: ingestLimits(env),
    });
    baseUrl = await app.listen({ host: "127.0.0.1", port: 0 });
    await publishModel(services, SHIPPED_MODEL_DIR, TEST_ACTIVATION);
  });

  afterAll(async () => {
    await app?.close();
    for (const worker of workers) await worker.close();
    redis?.disconnect();
  });

  it("relays each image's preprocessing and classification, with no database query between changes", async () => {
    const { key } = await createTestLab(services.prisma, "lab-live");
    const headers = { authorization: `Bearer ${key}` };
    const created = await fetch(`${baseUrl}/v1/specimens`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ accession: "LIVE-1" }),
    });
    const specimen = (await created.json()) as { id: string };
    const form = new FormData();
    for (const file of ariaImages("pro_b", FILES, 70))
      form.append("images", new Blob([readFileSync(file)]), path.basename(file));
    const uploaded = await fetch(`${baseUrl}/v1/specimens/${specimen.id}/images`, {
      method: "POST",
      headers,
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const accepted = ((await uploaded.json()) as { accepted: { imageId: string }[] }).accepted;
    // Byte-identical files in the dataset are one image.
    const imageIds = [...new Set(accepted.map((image) => image.imageId))];
    expect(imageIds.length).toBeGreaterThan(3);

    const stream = await fetch(`${baseUrl}/v1/specimens/${specimen.id}/events`, { headers });
    expect(stream.status).toBe(200);
    const events: EventSourceMessage[] = [];
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    const ended = (async () => {
      for await (const event of reader) events.push(event);
    })();
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]!.event).toBe("progress");

    // No worker runs yet, so nothing changes: a polling stream would query every PROGRESS_POLL_MS here.
    const idleFrom = queries;
    await sleep(3_000);
    expect(queries).toBe(idleFrom);

    const workerEnv = { ...services.env, MODEL_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "lf-models-")) };
    workers.push(await startPreprocessWorker(loadPreprocessEnv(workerEnv)));
    workers.push(await startInferenceWorker(loadInferenceEnv(workerEnv)));
    await ended;

    const data = (event: EventSourceMessage) => JSON.parse(event.data) as Record<string, unknown>;
    const imageEvents = events.filter((event) => event.event === "image").map(data);
    for (const imageId of imageIds) {
      expect(imageEvents).toContainEqual({ imageId, status: "PREPROCESSED" });
      expect(imageEvents).toContainEqual({ imageId, status: "CLASSIFIED" });
    }
    const classifiedCounts = events
      .filter((event) => event.event === "progress")
      .map((event) => (data(event).images as { CLASSIFIED: number }).CLASSIFIED);
    expect(classifiedCounts).toEqual([...classifiedCounts].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ event: "completed" });
    expect(data(events.at(-1)!)).toMatchObject({
      status: "COMPLETED",
      images: { total: imageIds.length, CLASSIFIED: imageIds.length },
    });
  });
});
