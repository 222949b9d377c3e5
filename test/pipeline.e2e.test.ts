import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIngestEnv, startIngest, type RunningIngest } from "@leukoflow/ingest";
import { loadPreprocessEnv, startPreprocessWorker, type RunningPreprocessWorker } from "@leukoflow/preprocess-worker";
import { loadInferenceEnv, startInferenceWorker, type RunningInferenceWorker } from "@leukoflow/inference-worker";
import { publishModel } from "@leukoflow/model-registry";
import { defaultModelDir } from "@leukoflow/ml";
import { useIsolatedServices } from "./support/isolated-services.js";
import { ariaImages } from "./support/datasets.js";
import { createTestLab } from "./support/labs.js";
import { modelsDir } from "@leukoflow/shared";
import { TEST_ACTIVATION } from "./support/pipeline.js";

const MODELS_DIR = modelsDir();
/** The model the product serves by default (models/default.json), as `npm run demo` publishes it. */
const SHIPPED_MODEL_DIR = defaultModelDir(MODELS_DIR);
const SHIPPED_MODEL = JSON.parse(readFileSync(path.join(SHIPPED_MODEL_DIR, "leukoflow-model.json"), "utf8")) as {
  name: string;
  version: string;
};

/** Images from late in each class's file order, i.e. from the model's held-out blocks. */
const CASES = [
  ...ariaImages("benign", 3, 380).map((file) => ({ file, label: "benign" })),
  ...ariaImages("pro_b", 3, 600).map((file) => ({ file, label: "pro_b" })),
];

describe("pipeline end to end: upload → preprocess → inference → Postgres", () => {
  const services = useIsolatedServices();
  let ingest: RunningIngest;
  let preprocess: RunningPreprocessWorker;
  let inference: RunningInferenceWorker;

  beforeAll(async () => {
    await publishModel({ db: services.db, objectStore: services.objectStore }, SHIPPED_MODEL_DIR, TEST_ACTIVATION);
    const env = {
      ...services.env,
      HOST: "127.0.0.1",
      PORT: "0",
      MODEL_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "lf-models-")),
    };
    ingest = await startIngest(loadIngestEnv(env));
    preprocess = await startPreprocessWorker(loadPreprocessEnv(env));
    inference = await startInferenceWorker(loadInferenceEnv(env));
  });

  afterAll(async () => {
    await ingest?.close();
    await preprocess?.close();
    await inference?.close();
  });

  it("classifies every uploaded image once and completes the specimen with a summary", async () => {
    const { key } = await createTestLab(services.prisma, "e2e-lab");
    const headers = { authorization: `Bearer ${key}` };
    const created = await fetch(`${ingest.url}/v1/specimens`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ accession: "E2E-1", patientRef: "pseudo-123" }),
    });
    const specimen = (await created.json()) as { id: string };
    const form = new FormData();
    for (const { file } of CASES) form.append("images", new Blob([readFileSync(file)]), path.basename(file));
    const uploaded = await fetch(`${ingest.url}/v1/specimens/${specimen.id}/images`, {
      method: "POST",
      headers,
      body: form,
    });
    expect(uploaded.status).toBe(201);

    let report: { status: string; summary: { call: string; classifiedCount: number } | null; images: ReportImage[] };
    const deadline = Date.now() + 90_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 300));
      report = (await (await fetch(`${ingest.url}/v1/specimens/${specimen.id}`, { headers })).json()) as typeof report;
    } while (report.status !== "COMPLETED" && Date.now() < deadline);

    expect(report.status).toBe("COMPLETED");
    expect(report.images.every((image) => image.status === "CLASSIFIED")).toBe(true);
    expect(await services.prisma.prediction.count()).toBe(CASES.length);
    expect(report.summary?.classifiedCount).toBe(CASES.length);

    const truth = new Map(CASES.map(({ file, label }) => [path.basename(file), label]));
    const correct = report.images.filter((image) => image.prediction?.label === truth.get(image.originalName));
    expect(correct.length).toBeGreaterThanOrEqual(CASES.length - 1);
    for (const image of report.images) {
      const probabilities = Object.values(image.prediction!.probabilities);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(image.prediction!.model).toBe(`${SHIPPED_MODEL.name}@${SHIPPED_MODEL.version}`);
    }
  });
});

interface ReportImage {
  originalName: string;
  status: string;
  prediction: { label: string; confidence: number; probabilities: Record<string, number>; model: string } | null;
}
