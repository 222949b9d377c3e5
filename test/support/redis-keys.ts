import type { Redis } from "ioredis";

/** Deletes every key under a prefix, e.g. a test's or a benchmark's own BullMQ prefix. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  // The prefix holds Redis glob characters ({}), so escape them for MATCH.
  const pattern = `${prefix.replace(/[{}[\]*?]/g, "\\$&")}*`;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}
