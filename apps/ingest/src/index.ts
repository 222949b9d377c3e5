export { buildServer, type IngestDepsInput } from "./server.js";
export { IngestEnv, loadIngestEnv } from "./env.js";
export { startIngest } from "./start.js";
