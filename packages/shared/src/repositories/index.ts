export { createDatabase, Database, type DbClient } from "./database.js";
export { LabRepository, type LabWebhook, type NewApiKey, type NewAuditEvent } from "./lab-repository.js";
