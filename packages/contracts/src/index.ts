export { Sha256, Timestamp } from "./api/primitives.js";
export {
  AcceptedImage,
  DirectUploadRequest,
  DirectUploadTicket,
  DirectUploadTickets,
  MultipartUploadResult,
  RejectedFile,
  UploadParams,
} from "./api/images.js";
export { ImageParams, Review, ReviewBody } from "./api/reviews.js";
export { ReviewQueue, ReviewQueueItem, ReviewQueueQuery, TEACHING_FLAGS } from "./api/review-queue.js";
export {
  CreateSpecimenBody,
  IdempotencyHeaders,
  ListSpecimensQuery,
  ReportImage,
  Specimen,
  SpecimenPage,
  SpecimenReport,
} from "./api/specimens.js";
export {
  ImageChange,
  LabSpecimenProgress,
  SpecimenChange,
  specimenChangesChannel,
  specimenChangesPattern,
  SpecimenProgress,
} from "./api/progress.js";
export { ImageStatus, ReviewDecision, SpecimenStatus } from "./api/statuses.js";
export { SpecimenCall, SpecimenSummary, StoredSpecimenSummary } from "./specimen-summary.js";
export { LOW_CONFIDENCE_THRESHOLD, REVIEW_FLAGS, ReviewFlag } from "./review-flags.js";
export { ENSEMBLE_FILE, EnsembleDefinition, OperatingPoint } from "./model-artifact.js";
export {
  directUploadObjectKey,
  gradCamKey,
  imageObjectKey,
  labUploadPrefixes,
  modelArtifactPrefix,
  preprocessedBaseKey,
} from "./object-keys.js";
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
} from "./queues.js";
