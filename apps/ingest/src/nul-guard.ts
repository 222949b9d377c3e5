import type { FastifyInstance } from "fastify";
import { problems } from "./problem.js";

/**
 * Refuses any request whose parsed params, query or JSON body holds a NUL character anywhere:
 * PostgreSQL text cannot store one, so it would otherwise surface as a 500 from the database.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const found = [
      ...nulPaths(request.params, "params"),
      ...nulPaths(request.query, "querystring"),
      ...nulPaths(request.body, "body"),
    ];
    if (found.length > 0) throw problems.invalidRequest(found.map((path) => ({ path, message: "must not contain a NUL character" })));
  });
}

function nulPaths(value: unknown, path: string): string[] {
  if (typeof value === "string") return value.includes("\u0000") ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulPaths(item, `${path}.${i}`));
  // Parsed JSON and query strings only: the query parser's objects have a prototype of their own.
  if (value && typeof value === "object" && !Buffer.isBuffer(value) && !("pipe" in value)) {
    return Object.entries(value).flatMap(([key, item]) => [...(key.includes("\u0000") ? [path] : []), ...nulPaths(item, `${path}.${key}`)]);
  }
  return [];
}
