import type { FastifySchemaValidationError } from "fastify/types/schema.js";
import { problems, type HttpProblem } from "./problem.js";

/** The problem for a request the route's zod schemas refused, naming each bad field. */
export function validationProblem(context: string | undefined, issues: FastifySchemaValidationError[]): HttpProblem {
  return problems.invalidRequest(
    issues.map((issue) => ({
      path: [context, ...issue.instancePath.split("/").filter(Boolean)].filter(Boolean).join("."),
      message: issue.message ?? "invalid",
    })),
  );
}
