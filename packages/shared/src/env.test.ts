import { describe, expect, it } from "vitest";
import { CommonEnv, parseEnv } from "./env.js";
import { ConfigError } from "./errors.js";

const VALID = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/leukoflow",
  REDIS_URL: "redis://127.0.0.1:6379",
  S3_ENDPOINT: "http://127.0.0.1:9000",
  S3_BUCKET: "leukoflow",
  S3_ACCESS_KEY_ID: "key",
  S3_SECRET_ACCESS_KEY: "secret",
};

describe("parseEnv", () => {
  it("applies defaults to a valid environment", () => {
    const env = parseEnv(CommonEnv, VALID);
    expect(env.DATABASE_POOL_SIZE).toBe(10);
    expect(env.QUEUE_PREFIX).toBe("{leukoflow}");
  });

  it("names every bad variable in one readable error", () => {
    const attempt = () =>
      parseEnv(CommonEnv, { ...VALID, DATABASE_URL: "mysql://x", REDIS_URL: undefined, DATABASE_POOL_SIZE: "0" });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("REDIS_URL");
    expect(message).toContain("DATABASE_POOL_SIZE");
  });
});
