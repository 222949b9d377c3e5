import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIngestEnv, startIngest, type RunningIngest } from "@leukoflow/ingest";
import { loadPreprocessEnv, startPreprocessWorker, type RunningPreprocessWorker } from "@leukoflow/preprocess-worker";
import { loadInferenceEnv, startInferenceWorker, type RunningInferenceWorker } from "@leukoflow/inference-worker";
import { publishModel } from "@leukoflow/model-registry";
import { decodeModelInputPixels, modelsDir } from "@leukoflow/shared";
import { useIsolatedServices } from "./support/isolated-services.js";
import { ariaImages } from "./support/datasets.js";
import { createTestLab } from "./support/labs.js";
import { waitFor } from "./support/wait-for.js";
import { TEST_ACTIVATION } from "./support/pipeline.js";

const MODELS_DIR = modelsDir();
/** 64 px, then 80 px: images preprocessed for the first cannot be classified by the second as they are. */
const FIRST_MODEL = path.join(MODELS_DIR, "aria-cnn-v1");
const SECOND_MODEL = path.join(MODELS_DIR, "aria-robust-cnn");
const FILES = [...ariaImages("benign", 2, 390), ...ariaImages("pre_b", 2, 700)];

describe("a model with another input activated while images are in flight", () => {
  const services = useIsolatedServices();
  let ingest: RunningIngest;
  let preprocess: RunningPreprocessWorker;
  let inference: RunningInferenceWorker | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = {
      ...services.env,
      HOST: "127.0.0.1",
      PORT: "0",
      MODEL_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "lf-models-")),
    };
    await publishModel({ db: services.db, objectStore: services.objectStore }, FIRST_MODEL, TEST_ACTIVATION);
    ingest = await startIngest(loadIngestEnv(env));
    preprocess = await startPreprocessWorker(loadPreprocessEnv(env));
  });

  afterAll(async () => {
    await ingest?.close();
    await preprocess?.close();
    await inference?.close();
  });

  it("sends them back to preprocessing, so the new model classifies pixels made for it", async () => {
    const { key } = await createTestLab(services.prisma, "switch-lab");
    const headers = { authorization: `Bearer ${key}` };
    const created = await fetch(`${ingest.url}/v1/specimens`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ accession: "SWITCH-1" }),
    });
    const specimen = (await created.json()) as { id: string };
    const form = new FormData();
    for (const file of FILES) form.append("images", new Blob([readFileSync(file)]), path.basename(file));
    expect(
      (await fetch(`${ingest.url}/v1/specimens/${specimen.id}/images`, { method: "POST", headers, body: form })).status,
    ).toBe(201);
    const images = () => services.prisma.image.findMany({ where: { specimenId: specimen.id } });
    await waitFor("the images preprocessed for the first model", async () =>
      (await images()).filter((image) => image.status === "PREPROCESSED").length === FILES.length ? true : null,
    );
    expect((await images()).map((image) => image.inputSize)).toEqual(FILES.map(() => 64));

    const second = await publishModel(
      { db: services.db, objectStore: services.objectStore },
      SECOND_MODEL,
      TEST_ACTIVATION,
    );
    inference = await startInferenceWorker(loadInferenceEnv(env));
    await waitFor("the specimen to complete", async () =>
      (await services.prisma.specimen.findUniqueOrThrow({ where: { id: specimen.id } })).status === "COMPLETED"
        ? true
        : null,
    );

    const predictions = await services.prisma.prediction.findMany({ where: { image: { specimenId: specimen.id } } });
    expect(predictions.map((prediction) => prediction.modelVersionId)).toEqual(FILES.map(() => second.id));
    for (const image of await images()) {
      expect(image).toMatchObject({ status: "CLASSIFIED", round: 1, inputSize: 80, stainNormalization: "none" });
      expect(image.preprocessedKey).toContain("/preprocessed/v2-80/");
      const stored = decodeModelInputPixels(await services.objectStore.get(image.preprocessedKey!));
      expect([stored.width, stored.height]).toEqual([80, 80]);
    }
  });
});
