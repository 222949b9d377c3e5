export { createDatabase, Database, type DbClient } from "./database.js";
export { LabRepository, type LabWebhook, type NewApiKey, type NewAuditEvent } from "./lab-repository.js";
export {
  ModelVersionRepository,
  NoActiveModelError,
  type EnsembleMemberRow,
  type NewModelVersion,
} from "./model-version-repository.js";
