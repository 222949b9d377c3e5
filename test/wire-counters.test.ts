import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@leukoflow/shared/prisma";
import { useIsolatedServices } from "./support/isolated-services.js";
import { proxyInFront, type TcpProxy } from "./support/tcp-proxy.js";
import { postgresCounter, redisCounter } from "./support/wire-counters.js";

const services = useIsolatedServices();

describe("counting what clients ask Postgres for, through a proxy", () => {
  const counter = postgresCounter();
  let proxy: TcpProxy;
  let prisma: PrismaClient;
  beforeAll(async () => {
    const front = await proxyInFront(services.env.DATABASE_URL!, 5432, counter.watchClient);
    proxy = front.proxy;
    prisma = createPrismaClient(front.url, 2);
    await prisma.$queryRaw`SELECT 1`; // the connection's start-up is not a statement
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await proxy.close();
  });

  it("counts one statement and one round trip per query, however large its parameters", async () => {
    const before = counter.counts();
    await prisma.$queryRaw`SELECT ${1}::int AS one`;
    await prisma.$queryRaw`SELECT length(${"x".repeat(3_000_000)}) AS n`;
    await prisma.$queryRaw`SELECT ${"Q\r\nE"}::text AS looks_like_messages`;
    expect(counter.counts()).toEqual({ statements: before.statements + 3, roundTrips: before.roundTrips + 3 });
  });

  it("counts a transaction's BEGIN and COMMIT as statements of their own", async () => {
    const before = counter.counts();
    await prisma.$transaction([prisma.$queryRaw`SELECT 1`, prisma.$queryRaw`SELECT 2`]);
    expect(counter.counts().statements - before.statements).toBe(4);
  });
});

describe("counting the commands clients send Redis, through a proxy", () => {
  const counter = redisCounter();
  let proxy: TcpProxy;
  let redis: Redis;
  beforeAll(async () => {
    const front = await proxyInFront(services.env.REDIS_URL!, 6379, counter.watchClient);
    proxy = front.proxy;
    redis = new Redis(front.url, { maxRetriesPerRequest: null });
    await redis.ping();
  });
  afterAll(async () => {
    redis.disconnect();
    await proxy.close();
  });

  it("counts each pipelined command once, whatever bytes its values hold", async () => {
    const key = `${services.env.QUEUE_PREFIX}:wire`;
    const before = counter.counts().commands;
    const pipeline = redis.pipeline();
    for (let i = 0; i < 20; i++) pipeline.set(`${key}:${i}`, `*3\r\n$3\r\nSET\r\n${"v".repeat(200_000)}`);
    await pipeline.exec();
    expect(await redis.strlen(`${key}:19`)).toBe(200_013);
    await redis.del(...Array.from({ length: 20 }, (_, i) => `${key}:${i}`));
    expect(counter.counts().commands - before).toBe(22);
  });
});
