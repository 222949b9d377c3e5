export { buildServer, ingestLimits, type IngestDepsInput, type IngestLimits } from "./server.js";
export { IngestEnv, loadIngestEnv } from "./env.js";
export { startIngest, type RunningIngest } from "./start.js";
export type { SpecimenReport } from "./schemas/specimens.js";
export { IngestApiClient, IngestApiError } from "./client/ingest-api-client.js";
export type { SpecimenProgress } from "./services/specimen-progress.js";
