import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInferenceEnv, startInferenceWorker, type RunningInferenceWorker } from "@leukoflow/inference-worker";
import { publishModel } from "@leukoflow/model-registry";
import { loadPreprocessEnv, startPreprocessWorker, type RunningPreprocessWorker } from "@leukoflow/preprocess-worker";
import { createQueue, createRedisConnection } from "@leukoflow/shared";
import { createTestLab, useIngestServer } from "../../apps/ingest/test/ingest-harness.js";
import { ariaImages } from "../support/datasets.js";
import { expectClassifiedExactlyOnce, SHIPPED_MODEL_DIR, TEST_ACTIVATION } from "../support/pipeline.js";
import { proxyInFront, type TcpProxy } from "../support/tcp-proxy.js";
import { waitFor } from "../support/wait-for.js";

const IMAGES = ["benign", "pre_b"].flatMap((label) => ariaImages(label, 8, 520));

/** Postgres cut under a busy inference worker until its jobs have failed twice: they retry with backoff and every image is classified once. */
describe("inference worker while Postgres is unreachable", () => {
  const harness = useIngestServer();
  const { services } = harness;
  let proxy: TcpProxy;
  let preprocess: RunningPreprocessWorker;
  let inference: RunningInferenceWorker;

  beforeAll(async () => {
    await publishModel({ db: services.db, objectStore: services.objectStore }, SHIPPED_MODEL_DIR, TEST_ACTIVATION);
    preprocess = await startPreprocessWorker(loadPreprocessEnv(services.env));
    const database = await proxyInFront(services.env.DATABASE_URL!, 5432);
    proxy = database.proxy;
    inference = await startInferenceWorker(
      loadInferenceEnv({
        ...services.env,
        DATABASE_URL: database.url,
        TF_BACKEND: "wasm",
        MODEL_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "lf-models-")),
      }),
    );
  });

  afterAll(async () => {
    await inference?.close();
    await preprocess?.close();
    await proxy?.close();
  });

  it("classifies every image exactly once after the outage, none failed, some only after retries", async () => {
    const lab = await createTestLab(services.prisma, "inference-db-outage-lab");
    const specimen = await harness.createSpecimen(lab.key, "INFERENCE-DB-OUTAGE-1");
    const files = IMAGES.map((file) => ({ name: path.basename(file), bytes: readFileSync(file) }));
    expect((await harness.upload(lab.key, specimen.id, files)).status).toBe(201);
    const total = await services.prisma.image.count({ where: { specimenId: specimen.id } });

    const redis = createRedisConnection(services.env.REDIS_URL!);
    const queue = createQueue("inference", redis, services.env.QUEUE_PREFIX!);
    const classified = () => services.prisma.image.count({ where: { specimenId: specimen.id, status: "CLASSIFIED" } });
    await waitFor("the first classified image", async () => ((await classified()) >= 1 ? true : null), 120_000);
    proxy.disconnect();
    await waitFor("a classify job to fail twice and wait for its retry", async () => {
      const retrying = await queue.getJobs(["delayed", "waiting", "active"]);
      return retrying.some((job) => job.attemptsMade >= 2) ? true : null;
    });
    expect(await classified()).toBeLessThan(total);
    proxy.reconnect();

    await expectClassifiedExactlyOnce(services, specimen.id, total);
    expect(await services.prisma.image.count({ where: { specimenId: specimen.id, status: "FAILED" } })).toBe(0);
    // A job whose batch committed as the connection dropped failed that attempt; its retry, after the
    // backoff, finds the Prediction and completes, so the jobs may finish after the images do.
    const jobs = await waitFor("every classify job to complete", async () => {
      const completed = await queue.getJobs(["completed"]);
      return completed.length >= total ? completed : null;
    });
    expect(jobs).toHaveLength(total);
    expect(jobs.some((job) => job.attemptsMade > 2)).toBe(true);
    await queue.close();
    redis.disconnect();
  }, 240_000);
});
