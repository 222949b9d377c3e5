import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIngestEnv, startIngest, type RunningIngest } from "@leukoflow/ingest";
import { publishModel } from "@leukoflow/model-registry";
import { AppProcess } from "../support/app-process.js";
import { ariaImages } from "../support/datasets.js";
import { useIsolatedServices } from "../support/isolated-services.js";
import { createTestLab } from "../support/labs.js";
import { SHIPPED_MODEL_DIR, TEST_ACTIVATION } from "../support/pipeline.js";
import { waitFor } from "../support/wait-for.js";

const IMAGES = ["benign", "early_pre_b", "pre_b", "pro_b"].flatMap((label) => ariaImages(label, 8, 200));
/** A crashed worker's jobs come back once their lock lapses and a live worker's stalled check runs. */
const RECOVERY_MS = 180_000;

/**
 * SIGKILL each worker mid-batch (a real process, no chance to hand jobs back), start it again, and
 * every image is still classified exactly once.
 */
describe("worker crashes", () => {
  const services = useIsolatedServices();
  let ingest: RunningIngest;
  let preprocess: AppProcess;
  let inference: AppProcess;

  beforeAll(async () => {
    await publishModel({ db: services.db, objectStore: services.objectStore }, SHIPPED_MODEL_DIR, TEST_ACTIVATION);
    const env = {
      ...services.env,
      TF_BACKEND: "wasm",
      MODEL_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "lf-models-")),
    };
    ingest = await startIngest(loadIngestEnv({ ...env, HOST: "127.0.0.1", PORT: "0" }));
    preprocess = new AppProcess("preprocess-worker", env);
    inference = new AppProcess("inference-worker", env);
  });

  afterAll(async () => {
    await preprocess?.stop();
    await inference?.stop();
    await ingest?.close();
  });

  const countImages = (status: string) => services.prisma.image.count({ where: { status: status as "CLASSIFIED" } });
  // Polled every 20 ms: a warm worker gets through the rest of the batch in a few hundred, and the kill must land before.
  const atLeast = (what: string, count: () => Promise<number>, minimum: number) =>
    waitFor(what, async () => ((await count()) >= minimum ? true : null), RECOVERY_MS, 20);

  it(
    "classifies every image once after the preprocess worker and then the inference worker are killed mid-batch",
    async () => {
      const { key } = await createTestLab(services.prisma, "crash-lab");
      const headers = { authorization: `Bearer ${key}` };
      const created = await fetch(`${ingest.url}/v1/specimens`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ accession: "CRASH-1" }),
      });
      const specimen = (await created.json()) as { id: string };
      const form = new FormData();
      for (const file of IMAGES) form.append("images", new Blob([readFileSync(file)]), path.basename(file));
      expect(
        (await fetch(`${ingest.url}/v1/specimens/${specimen.id}/images`, { method: "POST", headers, body: form }))
          .status,
      ).toBe(201);

      preprocess.start();
      await atLeast("the first preprocessed images", () => countImages("PREPROCESSED"), 2);
      await preprocess.crash();
      const preprocessedAtCrash = await services.prisma.image.count({ where: { status: { not: "RECEIVED" } } });
      expect(preprocessedAtCrash).toBeLessThan(IMAGES.length);

      preprocess.start();
      inference.start();
      await atLeast("the first classified images", () => countImages("CLASSIFIED"), 2);
      await inference.crash();
      expect(await countImages("CLASSIFIED")).toBeLessThan(IMAGES.length);

      inference.start();
      await atLeast("every image to be classified", () => countImages("CLASSIFIED"), IMAGES.length);
      const predictions = await services.prisma.prediction.findMany({ select: { imageId: true } });
      expect(predictions).toHaveLength(IMAGES.length);
      expect(new Set(predictions.map((prediction) => prediction.imageId)).size).toBe(IMAGES.length);
      expect(await services.prisma.image.count()).toBe(IMAGES.length);
      await waitFor("the specimen to complete", async () =>
        (await services.prisma.specimen.findUniqueOrThrow({ where: { id: specimen.id } })).status === "COMPLETED"
          ? true
          : null,
      );
    },
    RECOVERY_MS * 2 + 60_000,
  );
});
