import { Queue } from "bullmq";
import { createRedisConnection } from "@leukoflow/shared";
import { startApp, type AppProcess } from "./app-process.js";
import { growthRateBetween } from "./growth-rate.js";
import type { PipelineRun } from "./pipeline-run.js";

export interface BatchingSettings {
  maxBatchSize: number;
  maxQueueDelayMs: number;
}

/** An inference worker process with these batching settings; `ready` once its model is loaded. */
export function startInferenceWorker(run: PipelineRun, settings: BatchingSettings): AppProcess {
  return startApp(
    "inference-worker",
    {
      ...run.env,
      INFERENCE_MAX_BATCH_SIZE: String(settings.maxBatchSize),
      INFERENCE_MAX_QUEUE_DELAY_MS: String(settings.maxQueueDelayMs),
    },
    "inference worker ready",
  );
}

/**
 * Predictions per second for a specimen whose classify jobs wait in the queue, once `warmup` of
 * them are written (the first batches run at new shapes) until 90 % are (the tail, with too few
 * jobs left to fill a batch, is not the worker's pace).
 */
export async function measureBacklogClassifyRate(
  run: PipelineRun,
  specimenId: string,
  warmup: number,
): Promise<number> {
  const total = await run.counts.images(specimenId);
  return growthRateBetween(run.counts.classified(specimenId), warmup, Math.round(total * 0.9), 600_000);
}

/** Removes the classify jobs still waiting, so the tail these measurements leave does not slow the next. */
export async function dropInferenceBacklog(run: PipelineRun): Promise<void> {
  const connection = createRedisConnection(run.env.REDIS_URL!);
  const queue = new Queue("inference", { connection, prefix: run.env.QUEUE_PREFIX });
  await queue.drain();
  await queue.close();
  connection.disconnect();
}
