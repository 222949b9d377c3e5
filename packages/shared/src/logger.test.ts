import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { createLogger } from "./logger.js";

describe("createLogger", () => {
  const services = useIsolatedServices();

  it("logs a Redis reply error with its message and stack but without the command that failed", async () => {
    const redis = new Redis(services.env.REDIS_URL!);
    const error = await redis
      .eval(`return redis.error_reply('refused by the test') -- ${"x".repeat(4_000)}`, 0)
      .catch((e: Error) => e);
    redis.disconnect();
    expect(error).toHaveProperty("command");

    const lines: string[] = [];
    createLogger("test", "info", { write: (line: string) => void lines.push(line) }).error(
      { err: error },
      "enqueue failed",
    );
    const logged = JSON.parse(lines[0]!) as { err: Record<string, unknown> };
    expect(logged.err).toMatchObject({ type: "ReplyError", message: expect.stringContaining("refused by the test") });
    expect(logged.err.stack).toBeTruthy();
    expect(logged.err).not.toHaveProperty("command");
    expect(lines[0]!.length).toBeLessThan(2_000);
  });
});
