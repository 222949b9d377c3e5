import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { createJsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";

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
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "A lab API key: `Authorization: Bearer lf_…`" },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: createJsonSchemaTransform({
      skipList: ["/docs", "/docs/*", "/health/live", "/health/ready", "/metrics"],
    }),
    transformObject: jsonSchemaTransformObject,
  });
  // swagger-ui's policy hashes its own inline script; the page may not be framed, nor upgrade requests a plain-HTTP deployment cannot serve.
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    staticCSP: true,
    transformStaticCSP: (policy) =>
      policy.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/\s*upgrade-insecure-requests;/, ""),
  });
}
