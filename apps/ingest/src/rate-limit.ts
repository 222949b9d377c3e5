import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { HttpProblem } from "./problem.js";

export interface RateLimitSettings {
  /** Requests one API key may make per window; 0 turns the limit off. */
  maxPerWindow: number;
  windowMs: number;
  /** Redis key prefix of the counters, shared by every ingest replica. */
  namespace: string;
}

/**
 * Limits each API key's /v1 requests per window, counted in Redis so the limit holds across
 * replicas. Runs after authentication (route hooks follow the app's), so the key is the caller's
 * key id, never something the client could vary. A Redis outage lets requests through rather than
 * failing them: the queue's own backpressure still applies.
 */
export async function registerRateLimit(
  app: FastifyInstance,
  redis: Redis,
  settings: RateLimitSettings,
): Promise<void> {
  if (settings.maxPerWindow === 0) return;
  await app.register(rateLimit, {
    global: true,
    max: settings.maxPerWindow,
    timeWindow: settings.windowMs,
    redis,
    nameSpace: settings.namespace,
    skipOnError: true,
    allowList: (request) => !request.caller,
    keyGenerator: (request) => request.caller?.apiKeyId ?? "anonymous",
    errorResponseBuilder: (_request, context) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
      // context.after is the time left in the window; the message states the window itself.
      const window = `${settings.windowMs / 1000} seconds`;
      return new HttpProblem(
        429,
        "rate-limited",
        "Too many requests",
        `This API key may make ${context.max} requests per ${window}`,
        {
          retryAfterSeconds,
        },
      );
    },
  });
}
