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
  ImageRepository,
  type ClassifiedImageFields,
  type ImageStatusCounts,
  type ImageWithLabSettings,
  type ImageWithLatestPrediction,
  type LabelledImageFilter,
  type LabelledImageRow,
  type NewDirectUpload,
  type NewImage,
  type NewPrediction,
  type NewReview,
  type PreprocessedInput,
  type ReusedPrediction,
  type ReviewWithContext,
} from "./image-repository.js";
export {
  SpecimenRepository,
  type NewSpecimen,
  type SpecimenListFilter,
  type SpecimenWithResults,
} from "./specimen-repository.js";
export {
  ShadowPredictionRepository,
  type NewShadowPrediction,
  type ShadowPair,
  type ShadowPairFilter,
  type SpecimenCoverage,
} from "./shadow-prediction-repository.js";
