import {
  ImageStatus,
  SUBTYPE_TASK,
  type Database,
  type LeukoflowQueue,
  type Logger,
  type ObjectStore,
  type SpecimenChangePublisher,
} from "@leukoflow/shared";
import { MicroBatcher } from "./batching/micro-batcher.js";
import { createBatchClassifier, type BatchClassifier, type Classification } from "./classify-batch.js";
import type { ClassifyDeps, ClassifyResult, QueuedImage } from "./classify-handler.js";
import { fetchBatch } from "./fetch-batch.js";
import type { InferenceEnv } from "./env.js";
import { classifyLockDurationMs } from "./lock-duration.js";
import { watchActiveModel } from "./model-registry/active-model-watcher.js";
import { loadServedModel, timeFullBatch, type ServedModel } from "./model-registry/served-model.js";
import { writePredictions } from "./prediction-writer.js";
import { ModelSlot } from "./serving/model-slot.js";

export interface InferenceService {
  slot: ModelSlot<ServedModel>;
  classifyDeps: ClassifyDeps;
  /** For the classify Worker: see classifyLockDurationMs. */
  lockDurationMs: number;
  /** Runs the batches still queued, stops watching the registry and disposes the model. */
  close(): Promise<void>;
}

export type ServiceEnv = Pick<
  InferenceEnv,
  | "DATABASE_URL"
  | "MODEL_CACHE_DIR"
  | "MODEL_POLL_INTERVAL_MS"
  | "INFERENCE_CONCURRENCY"
  | "INFERENCE_MAX_BATCH_SIZE"
  | "INFERENCE_MAX_QUEUE_DELAY_MS"
  | "INFERENCE_TTA"
  | "INFERENCE_MIN_CONFIDENCE"
>;

/**
 * One batch as a worker runs it: every image's model input fetched at once, one forward pass, then
 * `write` of the classified ones, not awaited here: the next batch's fetch and forward pass overlap
 * this batch's database round trips. The active path writes Predictions; a shadow worker, ShadowPredictions.
 */
export function batchRunner(
  objectStore: ObjectStore,
  classifier: BatchClassifier,
  write: (batch: Classification[]) => Promise<void>,
): (queued: QueuedImage[]) => Promise<ClassifyResult[]> {
  return async (queued) => {
    const fetched = await fetchBatch(objectStore, queued);
    const outcomes = await classifier.predict(fetched.flatMap((image) => ("request" in image ? [image.request] : [])));
    const written = write(outcomes.flatMap((outcome) => ("classified" in outcome ? [outcome.classified] : [])));
    const results = outcomes.values();
    return fetched.map((image): ClassifyResult => {
      if (!("request" in image)) return image;
      const outcome = results.next().value!;
      return "classified" in outcome ? { written, modelVersionId: outcome.classified.version.id } : outcome;
    });
  };
}

/**
 * Loads and warms the active model version, keeps it current, and batches classify requests from
 * concurrent jobs into single forward passes: one download window, one forward pass and one
 * transaction (Predictions, statuses, specimen completions) per batch.
 */
export async function startInferenceService(
  deps: {
    db: Database;
    objectStore: ObjectStore;
    logger: Logger;
    preprocessQueue: LeukoflowQueue<"preprocess">;
    gradcamQueue: LeukoflowQueue<"gradcam">;
    changes: SpecimenChangePublisher;
  },
  env: ServiceEnv,
  observe: (classifier: BatchClassifier) => BatchClassifier = (classifier) => classifier,
): Promise<InferenceService> {
  const warmBatchSize = env.INFERENCE_MAX_BATCH_SIZE;
  const slot = new ModelSlot(
    await loadServedModel(
      deps,
      await deps.db.modelVersions.activeModel(SUBTYPE_TASK),
      env.MODEL_CACHE_DIR,
      warmBatchSize,
    ),
  );
  const classifier = observe(createBatchClassifier(slot, env.INFERENCE_TTA));

  const lockDurationMs = classifyLockDurationMs({
    concurrency: env.INFERENCE_CONCURRENCY,
    maxBatchSize: env.INFERENCE_MAX_BATCH_SIZE,
    maxQueueDelayMs: env.INFERENCE_MAX_QUEUE_DELAY_MS,
    fullBatchMs: await timeFullBatch(slot.model, warmBatchSize, env.INFERENCE_TTA),
  });

  const writer = { db: deps.db, minConfidence: env.INFERENCE_MIN_CONFIDENCE };
  const batcher = new MicroBatcher<QueuedImage, ClassifyResult>({
    maxBatchSize: env.INFERENCE_MAX_BATCH_SIZE,
    maxQueueDelayMs: env.INFERENCE_MAX_QUEUE_DELAY_MS,
    run: batchRunner(deps.objectStore, classifier, (classified) =>
      writePredictions(writer, classified).then(() =>
        deps.changes.publishImages(
          classified.map(({ request }) => request),
          ImageStatus.CLASSIFIED,
        ),
      ),
    ),
  });
  const watcher = watchActiveModel({ ...deps }, slot, {
    cacheDir: env.MODEL_CACHE_DIR,
    databaseUrl: env.DATABASE_URL,
    pollIntervalMs: env.MODEL_POLL_INTERVAL_MS,
    warmBatchSize,
  });

  return {
    slot,
    lockDurationMs,
    classifyDeps: { ...deps, batcher },
    async close() {
      await batcher.close();
      await watcher.stop();
      classifier.dispose();
    },
  };
}
