import {
  createLogger,
  createQueue,
  createRedisConnection,
  createRequestRedisConnection,
  createDatabase,
  logConnectionOutages,
  objectStoreFromEnv,
  retryPolicyFromEnv,
  SpecimenChangePublisher,
} from "@leukoflow/shared";
import type { IngestEnv } from "./env.js";
import { buildServer, ingestLimits } from "./server.js";
import { Housekeeping } from "./services/housekeeping.js";
import { StrandedImageReconciler } from "./services/stranded-images.js";
import { UnownedUploadSweeper } from "./services/unowned-uploads.js";
import { startSweeps } from "./sweeps/sweep-scheduler.js";
import { CompletionDispatcher } from "./webhooks/completion-dispatcher.js";
import { startWebhookWorker } from "./webhooks/webhook-worker.js";

const HOUSEKEEPING_INTERVAL_MS = 60_000;

export interface RunningIngest {
  url: string;
  close(): Promise<void>;
}

/**
 * Wires the ingest API to its services and starts listening. The ingest process also runs the
 * `webhooks` queue's only worker, the completion dispatcher feeding it, the housekeeping sweep, the
 * sweep of upload objects no image owns and the reconciliation of images whose jobs Redis lost.
 */
export async function startIngest(env: IngestEnv): Promise<RunningIngest> {
  const logger = createLogger("ingest", env.LOG_LEVEL);
  const db = createDatabase(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  // Requests fail fast while Redis is away (503); the webhook worker and its queue wait for it instead.
  const redis = createRequestRedisConnection(env.REDIS_URL);
  const backgroundRedis = createRedisConnection(env.REDIS_URL);
  logConnectionOutages(redis, logger, "requests");
  logConnectionOutages(backgroundRedis, logger, "webhooks");
  const retry = retryPolicyFromEnv(env);
  const preprocessQueue = createQueue("preprocess", redis, env.QUEUE_PREFIX, retry);
  const inferenceQueue = createQueue("inference", redis, env.QUEUE_PREFIX, retry);
  const webhookQueue = createQueue("webhooks", backgroundRedis, env.QUEUE_PREFIX);
  const objectStore = objectStoreFromEnv(env);
  await objectStore.ensureBucket();
  const limits = ingestLimits(env);
  const app = await buildServer({ db, objectStore, preprocessQueue, redis, logger, limits });
  const webhookWorker = startWebhookWorker({
    db,
    logger,
    connection: backgroundRedis,
    prefix: env.QUEUE_PREFIX,
    concurrency: env.WEBHOOK_CONCURRENCY,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    allowedHosts: limits.webhookAllowedHosts,
  });
  const dispatcher = new CompletionDispatcher({ db, webhookQueue });
  const housekeeping = new Housekeeping({
    db,
    objectStore,
    idempotencyKeyTtlMs: env.IDEMPOTENCY_KEY_TTL_HOURS * 3600_000,
  });
  const reconciler = new StrandedImageReconciler({
    db,
    preprocessQueue,
    inferenceQueue,
    changes: new SpecimenChangePublisher(backgroundRedis, env.QUEUE_PREFIX, logger),
    logger,
    minAgeMs: env.RECONCILE_MIN_AGE_MS,
  });
  const unownedUploads = new UnownedUploadSweeper({
    db,
    objectStore,
    logger,
    minAgeMs: env.UNOWNED_UPLOAD_MIN_AGE_HOURS * 3600_000,
  });
  const sweeps = await startSweeps(
    { connection: backgroundRedis, prefix: env.QUEUE_PREFIX, logger },
    {
      "reconcile-stranded-images": { everyMs: env.RECONCILE_INTERVAL_MS, run: () => reconciler.sweep() },
      "dispatch-completions": { everyMs: env.PROGRESS_POLL_MS, run: () => dispatcher.dispatchPending() },
      housekeeping: { everyMs: HOUSEKEEPING_INTERVAL_MS, run: () => housekeeping.sweep() },
      "sweep-unowned-uploads": {
        everyMs: env.UNOWNED_UPLOAD_SWEEP_INTERVAL_MINUTES * 60_000,
        run: () => unownedUploads.sweep(),
      },
    },
  );
  const url = await app.listen({ host: env.HOST, port: env.PORT });
  const operatorUrl = await app.operator.listen({ host: env.OPERATOR_HOST, port: env.OPERATOR_PORT });
  logger.info({ url, operatorUrl }, "ingest listening");
  return {
    url,
    close: async () => {
      await app.close();
      await sweeps.close();
      await webhookWorker.close();
      await preprocessQueue.close();
      await inferenceQueue.close();
      await webhookQueue.close();
      redis.disconnect();
      backgroundRedis.disconnect();
      await db.disconnect();
      objectStore.destroy();
    },
  };
}
