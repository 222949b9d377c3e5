export * from "./index.js";
export { NodeIngestApiClient } from "./node-client.js";
