import { SUBTYPE_TASK, type Database, type Logger, type ObjectStore } from "@leukoflow/shared";
import { MicroBatcher } from "../batching/micro-batcher.js";
import { createBatchClassifier, type BatchClassifier } from "../classify-batch.js";
import type { ClassifyResult, QueuedImage } from "../classify-handler.js";
import { batchRunner, type ServiceEnv } from "../inference-service.js";
import { watchModelVersion } from "../model-registry/active-model-watcher.js";
import type { ScoreShadowDeps } from "./score-shadow-handler.js";
import { ShadowSlot } from "./shadow-slot.js";
import { writeShadowPredictions } from "./shadow-writer.js";

export interface ShadowService {
  slot: ShadowSlot;
  scoreDeps: ScoreShadowDeps;
  /** Runs the batches still queued, stops watching the registry and disposes the model. */
  close(): Promise<void>;
}

/**
 * What a shadow worker (INFERENCE_ROLE=shadow) serves: the version in shadow, if any, loaded with the
 * active path's code (loadServedModel, ModelSlot), kept current by the same watcher, scored by the
 * same batch classifier and micro-batcher, written as ShadowPredictions.
 */
export async function startShadowService(
  deps: { db: Database; objectStore: ObjectStore; logger: Logger },
  env: ServiceEnv,
  observe: (classifier: BatchClassifier) => BatchClassifier = (classifier) => classifier,
): Promise<ShadowService> {
  const slot = new ShadowSlot();
  const classifier = observe(createBatchClassifier(slot, env.INFERENCE_TTA));
  const writer = { db: deps.db, minConfidence: env.INFERENCE_MIN_CONFIDENCE };
  const batcher = new MicroBatcher<QueuedImage, ClassifyResult>({
    maxBatchSize: env.INFERENCE_MAX_BATCH_SIZE,
    maxQueueDelayMs: env.INFERENCE_MAX_QUEUE_DELAY_MS,
    run: batchRunner(deps.objectStore, classifier, (batch) => writeShadowPredictions(writer, batch)),
  });
  const watcher = watchModelVersion(
    deps,
    {
      wanted: () => deps.db.modelVersions.findShadow(SUBTYPE_TASK),
      served: () => slot.version,
      serve: (next) => slot.serve(next),
      retire: () => slot.retire(),
      messages: {
        loading: "loading the version in shadow",
        switched: "version in shadow switched",
        failed: "could not load the version in shadow",
      },
    },
    {
      cacheDir: env.MODEL_CACHE_DIR,
      databaseUrl: env.DATABASE_URL,
      pollIntervalMs: env.MODEL_POLL_INTERVAL_MS,
      warmBatchSize: env.INFERENCE_MAX_BATCH_SIZE,
    },
  );
  await watcher.poll();
  return {
    slot,
    scoreDeps: { ...deps, slot, batcher },
    async close() {
      await batcher.close();
      await watcher.stop();
      classifier.dispose();
    },
  };
}
