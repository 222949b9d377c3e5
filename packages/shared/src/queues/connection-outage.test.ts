import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RedisServer } from "../../../../test/support/redis-server.js";
import { waitFor } from "../../../../test/support/wait-for.js";
import { createLogger } from "../logger.js";
import { createRedisConnection, logConnectionOutages } from "./connection.js";
import { createQueue } from "./producer.js";

interface LogLine {
  level: number;
  msg: string;
  connection: string;
}
const WARN = 40,
  INFO = 30;

describe("logConnectionOutages", () => {
  const server = new RedisServer();
  const lines: LogLine[] = [];
  let redis: Redis;

  beforeAll(async () => {
    await server.start();
    redis = createRedisConnection(server.url);
    logConnectionOutages(
      redis,
      createLogger("test", "info", { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) }),
      "test",
    );
    await redis.ping();
  });

  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  it("logs an outage once when it begins and once when it ends, and nothing unstructured in between", async () => {
    const queue = createQueue("preprocess", redis, "{lf-outage-test}");
    await queue.waitUntilReady();
    const consoleError = vi.spyOn(console, "error");
    let errors = 0;
    redis.on("error", () => errors++);

    await server.crash();
    await waitFor("three failed reconnection attempts", async () => (errors >= 3 ? true : null), 20_000, 50);
    expect(lines.filter((line) => line.level === WARN)).toEqual([
      expect.objectContaining({ msg: "redis unreachable; reconnecting", connection: "test" }),
    ]);

    await server.start();
    await waitFor(
      "the reconnection to be logged",
      async () => (lines.some((line) => line.level === INFO) ? true : null),
      20_000,
      50,
    );
    await redis.ping();
    expect(lines.map((line) => line.msg)).toEqual(["redis unreachable; reconnecting", "redis reachable again"]);
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
    await queue.close();
  });
});
