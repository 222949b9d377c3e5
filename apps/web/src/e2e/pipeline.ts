import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadIngestEnv, startIngest, type RunningIngest } from "@leukoflow/ingest";
import { loadInferenceEnv, startInferenceWorker } from "@leukoflow/inference-worker";
import { publishModel } from "@leukoflow/model-registry";
import { loadPreprocessEnv, startPreprocessWorker } from "@leukoflow/preprocess-worker";
import type { IsolatedServices } from "../../../../test/support/isolated-services.js";
import { SHIPPED_MODEL_DIR, TEST_ACTIVATION } from "../../../../test/support/pipeline.js";

export interface RunningPipeline {
  ingest: RunningIngest;
  close(): Promise<void>;
}

/** Ingest (serving the built web app) with both workers and the shipped model, in this process. */
export async function startPipeline(services: IsolatedServices): Promise<RunningPipeline> {
  await publishModel({ db: services.db, objectStore: services.objectStore }, SHIPPED_MODEL_DIR, TEST_ACTIVATION);
  const env = {
    ...services.env,
    HOST: "127.0.0.1",
    PORT: "0",
    PROGRESS_POLL_MS: "200",
    MODEL_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "lf-models-")),
  };
  const ingest = await startIngest(loadIngestEnv(env));
  const preprocess = await startPreprocessWorker(loadPreprocessEnv(env));
  const inference = await startInferenceWorker(loadInferenceEnv(env));
  return {
    ingest,
    close: async () => {
      await ingest.close();
      await preprocess.close();
      await inference.close();
    },
  };
}
