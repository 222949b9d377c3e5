export * from "./errors.js";
export * from "./env.js";
export * from "./logger.js";
export * from "./labels.js";
export * from "./object-store.js";
export * from "./database.js";
export * from "./repositories/index.js";
export * from "./active-model.js";
export * from "./migrations.js";
export {
  ClassifyImagePayload,
  DeliverSpecimenWebhookPayload,
  JOB_CONTRACTS,
  payloadSchema,
  PreprocessImagePayload,
  QUEUE_NAMES,
  RenderGradcamPayload,
  RenderReviewImagesPayload,
  SweepPayload,
  type JobName,
  type JobPayload,
  type QueueName,
} from "@leukoflow/contracts";
export * from "./queues/connection.js";
export * from "./queues/producer.js";
export * from "./queues/processor.js";
export * from "./queues/graceful-worker.js";
export * from "./queues/image-job-ids.js";
export * from "./queues/specimen-changes.js";
export * from "./image-format.js";
export * from "./model-input-pixels.js";
export * from "./review-images-manifest.js";
export * from "./api-keys.js";
export * from "./specimen-summary.js";
export * from "./specimen-completion.js";
export * from "./image-failure.js";
export * from "./process-lifecycle.js";
export * from "./workspace-paths.js";
export * from "./malignant-call.js";
export * from "./drift.js";
