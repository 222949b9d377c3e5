import { hashApiKey, type LabRepository } from "@leukoflow/shared";
import type { FastifyRequest } from "fastify";
import { HttpProblem } from "./problem.js";

export interface Caller {
  labId: string;
  apiKeyId: string;
  scopes: string[];
}

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller;
  }
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers["x-api-key"];
  if (typeof header === "string") return header;
  const authorization = request.headers.authorization;
  return authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined;
}

/** Resolves the lab behind the request's API key; every query downstream is scoped to it. */
export async function authenticate(labs: LabRepository, request: FastifyRequest): Promise<Caller> {
  const key = presentedKey(request);
  if (!key)
    throw new HttpProblem(401, "unauthenticated", "API key required", "Send it as `Authorization: Bearer <key>`");
  return callerForKey(labs, key);
}

/** The lab and scopes of an API key presented in any form; 401 when it is unknown or revoked. */
export async function callerForKey(labs: LabRepository, key: string): Promise<Caller> {
  const apiKey = await labs.findApiKeyBySecretHash(hashApiKey(key));
  if (!apiKey || apiKey.revokedAt) throw new HttpProblem(401, "unauthenticated", "Invalid or revoked API key");
  return { labId: apiKey.labId, apiKeyId: apiKey.id, scopes: apiKey.scopes };
}

export function requireScope(caller: Caller, scope: "READ" | "WRITE" | "ADMIN"): void {
  if (!caller.scopes.includes(scope) && !caller.scopes.includes("ADMIN")) {
    throw new HttpProblem(403, "forbidden", `This API key lacks the ${scope} scope`);
  }
}
