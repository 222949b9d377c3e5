import { writeFile } from "node:fs/promises";
import { OPENAPI_FILE, openApiDocument } from "./openapi-document.js";

// Writes the OpenAPI document for packages/api-client to generate its types from (npm run openapi).
await writeFile(OPENAPI_FILE, await openApiDocument());
console.log(`wrote ${OPENAPI_FILE}`);
