import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { publishModel } from "@leukoflow/model-registry";
import { freePort } from "@leukoflow/stack";
import { expect } from "vitest";
import { AppProcess, type AppName } from "./app-process.js";
import type { IsolatedServices } from "./isolated-services.js";
import { waitFor } from "./wait-for.js";
import { modelsDir } from "@leukoflow/shared";

export const SHIPPED_MODEL_DIR = path.join(modelsDir(), "aria-cnn-v1");
/** How a test serves a model: activated as `models activate` does, by a test, without a shadow run (the shipped models are evaluated offline). */
export const TEST_ACTIVATION = {
  activate: true,
  author: { actor: "test", reason: "test fixture" },
  skipShadow: true,
} as const;

/** The three apps as real processes (ingest, preprocess-worker, inference-worker) on a test's services. */
export class Pipeline {
  readonly apps: Record<AppName, AppProcess>;
  readonly baseUrl: string;
  /** Processes started after the three (startApp), stopped with them. */
  private readonly extra: AppProcess[] = [];

  private constructor(
    private readonly env: Record<string, string>,
    port: number,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    const app = (name: AppName) => new AppProcess(name, env);
    this.apps = {
      ingest: app("ingest"),
      "preprocess-worker": app("preprocess-worker"),
      "inference-worker": app("inference-worker"),
    };
  }

  /** Publishes the shipped model, starts the apps (env overrides the services'), waits for ingest to listen. */
  static async start(services: IsolatedServices, overrides: Record<string, string> = {}): Promise<Pipeline> {
    await publishModel({ db: services.db, objectStore: services.objectStore }, SHIPPED_MODEL_DIR, TEST_ACTIVATION);
    const port = await freePort();
    const env = {
      ...services.env,
      TF_BACKEND: "wasm",
      HOST: "127.0.0.1",
      PORT: String(port),
      MODEL_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "lf-models-")),
      ...overrides,
    };
    const pipeline = new Pipeline(env, port);
    for (const app of Object.values(pipeline.apps)) app.start();
    await waitFor("ingest to listen", async () =>
      (await fetch(`${pipeline.baseUrl}/health/live`).catch(() => null))?.ok ? true : null,
    );
    return pipeline;
  }

  /** One more app process on the same services and settings, e.g. a shadow inference worker (INFERENCE_ROLE=shadow). */
  startApp(name: AppName, overrides: Record<string, string> = {}): AppProcess {
    const app = new AppProcess(name, { ...this.env, ...overrides }).start();
    this.extra.push(app);
    return app;
  }

  async stop(): Promise<void> {
    await Promise.all([...Object.values(this.apps), ...this.extra].map((app) => app.stop()));
  }

  /** Registers a specimen and uploads the files in one request; returns the specimen's id. */
  async uploadSpecimen(key: string, accession: string, files: string[]): Promise<string> {
    const headers = { authorization: `Bearer ${key}` };
    const created = await fetch(`${this.baseUrl}/v1/specimens`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ accession }),
    });
    expect(created.status).toBe(201);
    const specimen = (await created.json()) as { id: string };
    const form = new FormData();
    for (const file of files) form.append("images", new Blob([readFileSync(file)]), path.basename(file));
    const upload = () =>
      fetch(`${this.baseUrl}/v1/specimens/${specimen.id}/images`, { method: "POST", headers, body: form });
    let uploaded = await upload();
    // 503 means a dependency did not answer in time (a loaded test machine); a client retries, as the API says.
    for (let retry = 0; uploaded.status === 503 && retry < 5; retry++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000 * Number(uploaded.headers.get("retry-after") ?? 1)));
      uploaded = await upload();
    }
    expect(uploaded.status).toBe(201);
    return specimen.id;
  }
}

/**
 * Waits until every image of the specimen is classified, then checks it happened exactly once:
 * one Prediction per image, as many as images, and the specimen completed.
 */
export async function expectClassifiedExactlyOnce(
  services: IsolatedServices,
  specimenId: string,
  images: number,
  timeoutMs = 120_000,
): Promise<void> {
  const { prisma } = services;
  const classified = () => prisma.image.count({ where: { specimenId, status: "CLASSIFIED" } });
  await waitFor(
    `${images} classified images`,
    async () => ((await classified()) >= images ? true : null),
    timeoutMs,
    500,
  );
  expect(await prisma.image.count({ where: { specimenId } })).toBe(images);
  const predictions = await prisma.prediction.findMany({ where: { image: { specimenId } }, select: { imageId: true } });
  expect(predictions).toHaveLength(images);
  expect(new Set(predictions.map((prediction) => prediction.imageId)).size).toBe(images);
  await waitFor("the specimen to complete", async () =>
    (await prisma.specimen.findUniqueOrThrow({ where: { id: specimenId } })).status === "COMPLETED" ? true : null,
  );
}
