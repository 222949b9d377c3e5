import { Redis } from "ioredis";

/**
 * A Redis connection as BullMQ wants it: commands wait (never fail fast) while Redis is away,
 * so a restart of Redis pauses the pipeline instead of failing jobs.
 */
export function createRedisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
