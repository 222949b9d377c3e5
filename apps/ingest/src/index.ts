export { buildServer, ingestLimits, type IngestDepsInput, type IngestLimits } from "./server.js";
export { IngestEnv, loadIngestEnv } from "./env.js";
export { startIngest, type RunningIngest } from "./start.js";
