export { createDatabase, Database, isUniqueViolation, type DbClient } from "./database.js";
export { LabRepository, type LabWebhook, type NewApiKey, type NewAuditEvent } from "./lab-repository.js";
export {
  ModelVersionRepository,
  NoActiveModelError,
  type EnsembleMemberRow,
  type NewModelVersion,
} from "./model-version-repository.js";
export {
  SpecimenRepository,
  type ClassifiedImageFields,
  type ImageStatusCounts,
  type ImageWithLatestPrediction,
  type NewDirectUpload,
  type NewImage,
  type NewReview,
  type ReusedPrediction,
  type NewSpecimen,
  type ReviewWithContext,
  type SpecimenListFilter,
} from "./specimen-repository.js";
