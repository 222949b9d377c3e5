export { createDatabase, Database, isUniqueViolation } from "./database.js";
export { LabRepository, type LabWebhook, type NewApiKey, type NewAuditEvent } from "./lab-repository.js";
export {
  ModelVersionRepository,
  NoActiveModelError,
  type EnsembleMemberRow,
  type NewModelVersion,
  type PredictionGroup,
} from "./model-version-repository.js";
export {
  SpecimenRepository,
  type ClassifiedImageFields,
  type ImageStatusCounts,
  type ImageWithLabSettings,
  type LabelledImageFilter,
  type LabelledImageRow,
  type ImageWithLatestPrediction,
  type NewDirectUpload,
  type NewImage,
  type NewPrediction,
  type PreprocessedInput,
  type NewReview,
  type ReusedPrediction,
  type NewSpecimen,
  type ReviewWithContext,
  type SpecimenListFilter,
  type SpecimenWithResults,
} from "./specimen-repository.js";
