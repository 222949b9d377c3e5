import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { createJsonSchemaTransform } from "fastify-type-provider-zod";
import { z } from "zod";
import { Problem } from "./schemas/common.js";

/**
 * The OpenAPI 3 document, generated from the zod schemas the routes validate with: the UI at /docs,
 * the document at /docs/json. Register before the routes.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "LeukoFlow ingest API",
        version: "1",
        description: "Errors are RFC 9457 problem+json (schema Problem) with a stable `type` per error.",
      },
      components: {
        securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "A lab API key: `Authorization: Bearer lf_…`" } },
        schemas: { Problem: z.toJSONSchema(Problem, { target: "openapi-3.0" }) as Record<string, unknown> },
      },
      security: [{ apiKey: [] }],
    },
    transform: createJsonSchemaTransform({ skipList: ["/docs", "/docs/*", "/health/live", "/health/ready"] }),
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
}
