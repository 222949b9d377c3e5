import { Redis } from "ioredis";
import type { Logger } from "../logger.js";

/** How long a request-path command may wait for Redis before it fails. */
const REQUEST_COMMAND_TIMEOUT_MS = 2_000;

/**
 * A Redis connection as BullMQ wants it: commands wait (never fail fast) while Redis is away,
 * so a restart of Redis pauses the pipeline instead of failing jobs.
 */
export function createRedisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * A Redis connection for a request path (ingest's producer, rate limit and probes): while Redis is
 * away a command fails at once instead of queueing, and one sent to a Redis that stops answering
 * fails after 2 s, so the caller can answer 503 rather than keep the client waiting. It reconnects
 * by itself. Never give it to a BullMQ Worker, whose connection must wait.
 */
export function createRequestRedisConnection(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REQUEST_COMMAND_TIMEOUT_MS,
    connectTimeout: REQUEST_COMMAND_TIMEOUT_MS,
  });
}

/**
 * Logs a connection's outage once when it begins (warn) and once when it ends (info). Without an
 * error listener ioredis prints an unstructured "Unhandled error event" line on every reconnection
 * attempt; BullMQ queues and workers re-emit the same errors, so they need not log them again.
 */
export function logConnectionOutages(redis: Redis, logger: Logger, connection: string): void {
  let down = false;
  redis.on("error", (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err, connection }, "redis unreachable; reconnecting");
  });
  redis.on("ready", () => {
    if (!down) return;
    down = false;
    logger.info({ connection }, "redis reachable again");
  });
}
