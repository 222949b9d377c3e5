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
export {
  ReviewQueue,
  ReviewQueueItem,
  ReviewQueueQuery,
  ShadowInReview,
  ShadowScore,
  TEACHING_FLAGS,
} from "./api/review-queue.js";
export { ShadowComparison, ShadowDisagreement, ShadowSpecimenChange } from "./shadow-comparison.js";
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
export {
  ClassificationMetrics,
  ClassMetrics,
  ENSEMBLE_FILE,
  EnsembleDefinition,
  HeldOutRange,
  InputNormalization,
  METADATA_FILE,
  ModelMetadata,
  ONNX_FILE,
  OnnxModelSpec,
  OOD_STATISTICS_FILE,
  OodCalibration,
  OodLayerCalibration,
  OperatingPoint,
  STAIN_NORMALIZATIONS,
  StainNormalization,
} from "./model-artifact.js";
export {
  ALL_SUBTYPES,
  calledClass,
  DEFAULT_MALIGNANT_THRESHOLD,
  DEFAULT_SPECIMEN_THRESHOLD,
  isMalignantCall,
  isMalignantClass,
  malignantFraction,
  malignantProbability,
  malignantThresholds,
  sameMalignantClasses,
  SUBTYPE_LABELS,
  specimenMalignantScore,
  type MalignancyRule,
  type MalignantThresholds,
} from "./malignancy.js";
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
  ScoreShadowPayload,
  SweepPayload,
  type JobName,
  type JobPayload,
  type QueueName,
} from "./queues.js";
