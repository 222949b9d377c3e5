import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPENAPI_FILE, openApiDocument } from "./openapi-document.js";

describe("the committed OpenAPI document", () => {
  it("is what the server serves, so the API client generated from it is current", async () => {
    const committed = readFileSync(OPENAPI_FILE, "utf8");
    expect(committed === (await openApiDocument()), `${OPENAPI_FILE} is stale: run \`npm run openapi\``).toBe(true);
  });
});
