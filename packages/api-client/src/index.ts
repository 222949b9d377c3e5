export { IngestApiClient, IngestApiError } from "./ingest-api-client.js";
