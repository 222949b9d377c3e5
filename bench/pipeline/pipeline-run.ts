import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { publishModel } from "@leukoflow/model-registry";
import { Database } from "@leukoflow/shared";
import { startApp, type AppProcess } from "./app-process.js";
import type { BenchServices } from "./bench-services.js";
import { openIngestSession, type IngestSession } from "./ingest-session.js";
import { pipelineCounts } from "./pipeline-counts.js";
import { freePort } from "@leukoflow/stack";

/** How a benchmark publishes the model it measures: active at once, by the "bench" actor, no shadow period. */
export const BENCH_ACTIVATION = {
  activate: true,
  author: { actor: "bench", reason: "benchmark run" },
  skipShadow: true,
} as const;

export interface PipelineRun {
  /** Environment for the worker processes a measurement starts. */
  env: Record<string, string>;
  session: IngestSession;
  counts: ReturnType<typeof pipelineCounts>;
  services: BenchServices;
  ingest: AppProcess;
  close(): Promise<void>;
}

/** The shipped model published and active, and one ingest process on a free port that every measurement uploads through. */
export async function startPipelineRun(
  services: BenchServices,
  modelDir: string,
  workerEnv: Record<string, string>,
): Promise<PipelineRun> {
  await publishModel(
    { db: new Database(services.prisma), objectStore: services.objectStore },
    modelDir,
    BENCH_ACTIVATION,
  );
  const port = await freePort();
  const env = {
    ...services.env,
    ...workerEnv,
    MODEL_CACHE_DIR: mkdtempSync(path.join(tmpdir(), "leukoflow-bench-models-")),
  };
  const ingest = startApp("ingest", {
    ...services.env,
    HOST: "127.0.0.1",
    PORT: String(port),
    OPERATOR_HOST: "127.0.0.1",
    OPERATOR_PORT: "0",
    // Uploads under a load generator: no per-key limit and room for every queued image.
    RATE_LIMIT_PER_KEY: "1000000000",
    MAX_PREPROCESS_BACKLOG: "1000000",
  });
  const session = await openIngestSession(services.prisma, `http://127.0.0.1:${port}`);
  await session.waitUntilReady();
  return { env, session, counts: pipelineCounts(services.prisma), services, ingest, close: () => ingest.stop() };
}
