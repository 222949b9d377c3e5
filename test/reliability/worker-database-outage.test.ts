import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPreprocessEnv, startPreprocessWorker, type RunningPreprocessWorker } from "@leukoflow/preprocess-worker";
import { createQueue, createRedisConnection } from "@leukoflow/shared";
import { createTestLab, useIngestServer } from "../../apps/ingest/test/ingest-harness.js";
import { ariaImages } from "../support/datasets.js";
import { proxyInFront, type TcpProxy } from "../support/tcp-proxy.js";
import { publishTestModel } from "../support/test-model.js";
import { waitFor } from "../support/wait-for.js";

const IMAGES = ariaImages("early_pre_b", 16, 120);
const OUTAGE_MS = 10_000;

/** Postgres gone for 10 s under a busy preprocess worker: its jobs retry with backoff and all finish. */
describe("preprocess worker while Postgres is unreachable for 10 s", () => {
  const harness = useIngestServer();
  const { services } = harness;
  let proxy: TcpProxy;
  let worker: RunningPreprocessWorker;

  beforeAll(async () => {
    await publishTestModel(services.prisma);
    const database = await proxyInFront(services.env.DATABASE_URL!, 5432);
    proxy = database.proxy;
    worker = await startPreprocessWorker(loadPreprocessEnv({ ...services.env, DATABASE_URL: database.url }));
  });

  afterAll(async () => {
    await worker?.close();
    await proxy?.close();
  });

  it("preprocesses every image once Postgres is back, none failed, some only after retries", async () => {
    const lab = await createTestLab(services.prisma, "db-outage-lab");
    const specimen = await harness.createSpecimen(lab.key, "DB-OUTAGE-1");
    const upload = async (files: string[]) => {
      const parts = files.map((file) => ({ name: path.basename(file), bytes: readFileSync(file) }));
      expect((await harness.upload(lab.key, specimen.id, parts)).status).toBe(201);
    };
    // A few images first, so the worker is busy when Postgres goes; the rest while it is gone (ingest
    // reaches Postgres directly), so there is always work left to fail and retry.
    await upload(IMAGES.slice(0, 4));
    const preprocessed = () =>
      services.prisma.image.count({ where: { specimenId: specimen.id, status: "PREPROCESSED" } });
    await waitFor("the first preprocessed image", async () => ((await preprocessed()) >= 1 ? true : null));
    proxy.disconnect();
    const outageEnds = Date.now() + OUTAGE_MS;
    await upload(IMAGES.slice(4));
    await new Promise((resolve) => setTimeout(resolve, outageEnds - Date.now()));
    proxy.reconnect();

    await waitFor(
      "every image to be preprocessed",
      async () => ((await preprocessed()) === IMAGES.length ? true : null),
      120_000,
    );
    expect(await services.prisma.image.count({ where: { specimenId: specimen.id, status: "FAILED" } })).toBe(0);
    const redis = createRedisConnection(services.env.REDIS_URL!);
    const queue = createQueue("preprocess", redis, services.env.QUEUE_PREFIX!);
    // The worker commits an image's row before BullMQ marks its job done: wait for the jobs too.
    const jobs = await waitFor("every preprocess job to complete", async () => {
      const completed = await queue.getJobs(["completed"]);
      return completed.length >= IMAGES.length ? completed : null;
    });
    expect(jobs).toHaveLength(IMAGES.length);
    // attemptsMade counts the successful attempt too, so more than one means it was retried.
    expect(jobs.some((job) => job.attemptsMade > 1)).toBe(true);
    await queue.close();
    redis.disconnect();
  }, 180_000);
});
