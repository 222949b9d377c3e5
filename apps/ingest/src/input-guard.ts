import type { FastifyInstance } from "fastify";
import { problems } from "./problem.js";

/** Deeper than any request this API takes; a body nested further is refused before anything walks it. */
const MAX_DEPTH = 64;

/**
 * Refuses any request whose parsed params, query or JSON body holds a NUL character anywhere
 * (PostgreSQL text cannot store one, so it would otherwise surface as a 500 from the database), or
 * is nested more than MAX_DEPTH levels deep. The walk keeps its own stack, so no depth overflows it.
 */
export function refuseUnstorableInput(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const errors = [
      ...findUnstorable(request.params, "params"),
      ...findUnstorable(request.query, "querystring"),
      ...findUnstorable(request.body, "body"),
    ];
    if (errors.length > 0) throw problems.invalidRequest(errors);
  });
}

function findUnstorable(root: unknown, rootPath: string): { path: string; message: string }[] {
  const found: { path: string; message: string }[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === "string") {
      if (value.includes("\u0000")) found.push({ path, message: "must not contain a NUL character" });
      continue;
    }
    // Parsed JSON and query strings only: the query parser's objects have a prototype of their own.
    if (!value || typeof value !== "object" || Buffer.isBuffer(value) || "pipe" in value) continue;
    if (depth >= MAX_DEPTH) return [{ path, message: `must not be nested more than ${MAX_DEPTH} levels deep` }];
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) found.push({ path, message: "must not contain a NUL character" });
      pending.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return found;
}
