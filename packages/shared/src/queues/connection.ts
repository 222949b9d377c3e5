import { Redis } from "ioredis";

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
