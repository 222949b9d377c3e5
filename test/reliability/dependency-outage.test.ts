import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIngestEnv, startIngest, type RunningIngest } from "@leukoflow/ingest";
import { ariaImages } from "../support/datasets.js";
import { useIsolatedServices, type IsolatedServices } from "../support/isolated-services.js";
import { createTestLab } from "../support/labs.js";
import { expectRetryLater } from "../support/problems.js";
import { RedisServer } from "../support/redis-server.js";
import { S3FaultProxy } from "../support/s3-fault-proxy.js";
import { proxyInFront, type TcpProxy } from "../support/tcp-proxy.js";
import { waitFor } from "../support/wait-for.js";

const IMAGES = ariaImages("pre_b", 3, 450);

/** Ingest on the test's services with `overrides` (resolved once they are up), a lab, a specimen, and ways to call it. */
function useIngest(services: IsolatedServices, overrides: () => Promise<Record<string, string>>) {
  const ingest = {} as { running: RunningIngest; key: string; specimenId: string };
  beforeAll(async () => {
    ingest.running = await startIngest(
      loadIngestEnv({ ...services.env, ...(await overrides()), HOST: "127.0.0.1", PORT: "0" }),
    );
    ({ key: ingest.key } = await createTestLab(services.prisma, "outage-lab"));
    const created = await call("POST", "/v1/specimens", JSON.stringify({ accession: "OUTAGE-1" }), {
      "content-type": "application/json",
    });
    ingest.specimenId = ((await created.json()) as { id: string }).id;
  });
  afterAll(() => ingest.running?.close());

  function call(method: string, route: string, body?: RequestInit["body"], headers: Record<string, string> = {}) {
    return fetch(`${ingest.running.url}${route}`, {
      method,
      body: body ?? null,
      headers: { authorization: `Bearer ${ingest.key}`, ...headers },
    });
  }
  const listSpecimens = () => call("GET", "/v1/specimens");
  const upload = (file: string) => {
    const form = new FormData();
    form.append("images", new Blob([readFileSync(file)]), path.basename(file));
    return call("POST", `/v1/specimens/${ingest.specimenId}/images`, form);
  };
  /** Polls until the call answers `status`: the dependency is back and its client reconnected. */
  const answersAgain = (what: string, request: () => Promise<Response>, status: number) =>
    waitFor(what, async () => ((await request()).status === status ? true : null), 30_000);
  return { ingest, call, listSpecimens, upload, answersAgain };
}

/** While a dependency is unreachable, ingest answers 503 problem+json with Retry-After, never 500 nor a hang, and recovers. */
describe("ingest while Postgres is unreachable", () => {
  const services = useIsolatedServices();
  let proxy: TcpProxy;
  afterAll(() => proxy?.close());
  const { listSpecimens, answersAgain } = useIngest(services, async () => {
    const proxied = await proxyInFront(services.env.DATABASE_URL!, 5432);
    proxy = proxied.proxy;
    return { DATABASE_URL: proxied.url };
  });

  it("answers 503 with Retry-After during the outage and 200 once Postgres is back", async () => {
    expect((await listSpecimens()).status).toBe(200);
    proxy.disconnect();
    for (let i = 0; i < 3; i++) await expectRetryLater(await listSpecimens());
    proxy.reconnect();
    await answersAgain("ingest to reach Postgres again", listSpecimens, 200);
  });
});

describe("ingest while Redis is down", () => {
  const services = useIsolatedServices();
  const redis = new RedisServer();
  afterAll(() => redis.close());
  const { upload, listSpecimens, answersAgain } = useIngest(services, async () => ({
    REDIS_URL: (await redis.start()).url,
  }));

  it("answers uploads 503 at once while Redis is down, serves what needs only Postgres, and takes uploads again once it is back", async () => {
    expect((await upload(IMAGES[0]!)).status).toBe(201);
    await redis.crash();
    for (let i = 0; i < 3; i++) await expectRetryLater(await upload(IMAGES[1]!));
    expect((await listSpecimens()).status).toBe(200);
    expect(await services.prisma.image.count()).toBe(1);
    await redis.start();
    await answersAgain("an upload to be taken again", () => upload(IMAGES[1]!), 201);
    expect(await services.prisma.image.count()).toBe(2);
  });
});

describe("ingest while S3 answers 503 SlowDown", () => {
  const services = useIsolatedServices();
  const s3 = new S3FaultProxy(services.env.S3_ENDPOINT!);
  afterAll(() => s3.close());
  const { upload, answersAgain } = useIngest(services, async () => ({ S3_ENDPOINT: await s3.start() }));

  it("answers uploads 503, leaves no Image row, and takes them again once S3 is healthy", async () => {
    s3.fail();
    for (let i = 0; i < 2; i++) await expectRetryLater(await upload(IMAGES[2]!));
    expect(s3.refused).toBeGreaterThan(0);
    expect(await services.prisma.image.count()).toBe(0);
    s3.heal();
    await answersAgain("an upload to be taken again", () => upload(IMAGES[2]!), 201);
    expect(await services.prisma.image.count()).toBe(1);
  });
});

/** A dependency that fails between two steps of one upload: what the earlier steps wrote is undone. */
describe("an upload whose preprocessing job cannot be queued", () => {
  const services = useIsolatedServices();
  const redis = new RedisServer();
  afterAll(() => redis.close());
  const { upload } = useIngest(services, async () => ({ REDIS_URL: (await redis.start()).url }));

  it("is answered 503 queue-unavailable and leaves neither its Image row nor its object", async () => {
    // Redis still answers reads (the backlog check passes) but refuses writes: the job cannot be added after the row is written.
    const admin = new Redis(redis.url);
    await admin.config("SET", "min-replicas-to-write", "1");
    await expectRetryLater(await upload(IMAGES[0]!), "queue-unavailable");
    expect(await services.prisma.image.count()).toBe(0);
    expect(await services.objectStore.list("labs/")).toEqual([]);
    await admin.config("SET", "min-replicas-to-write", "0");
    expect((await upload(IMAGES[0]!)).status).toBe(201);
    expect(await services.objectStore.list("labs/")).toHaveLength(1);
    admin.disconnect();
  });
});

describe("a direct upload completed while its preprocessing job cannot be queued", () => {
  const services = useIsolatedServices();
  const redis = new RedisServer();
  afterAll(() => redis.close());
  const { ingest, call } = useIngest(services, async () => ({ REDIS_URL: (await redis.start()).url }));

  it("is answered 503 and can be completed again once Redis takes writes, with the bytes it was sent", async () => {
    const bytes = readFileSync(IMAGES[2]!);
    const declared = {
      fileName: "direct.jpg",
      byteSize: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    };
    const requested = await call(
      "POST",
      `/v1/specimens/${ingest.specimenId}/uploads`,
      JSON.stringify({ files: [declared] }),
      { "content-type": "application/json" },
    );
    const [ticket] = ((await requested.json()) as { uploads: { uploadId: string; url: string }[] }).uploads;
    expect((await fetch(ticket!.url, { method: "PUT", body: bytes })).status).toBe(200);
    const complete = () => call("POST", `/v1/uploads/${ticket!.uploadId}/complete`);

    const admin = new Redis(redis.url);
    await admin.config("SET", "min-replicas-to-write", "1");
    await expectRetryLater(await complete(), "queue-unavailable");
    expect(await services.prisma.image.count()).toBe(0);
    await admin.config("SET", "min-replicas-to-write", "0");
    admin.disconnect();

    const completed = await complete();
    expect(completed.status).toBe(201);
    const image = await services.prisma.image.findUniqueOrThrow({ where: { id: ticket!.uploadId } });
    expect(image.sha256).toBe(declared.sha256);
    expect(await services.objectStore.get(image.objectKey)).toEqual(bytes);
  });
});

describe("a streamed upload whose Image row cannot be written", () => {
  const services = useIsolatedServices();
  const { upload } = useIngest(services, async () => ({}));
  const refuseImageRows = async (refuse: boolean) => {
    await services.prisma.$executeRawUnsafe(
      refuse
        ? `CREATE FUNCTION refuse_image() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'image rows refused by the test'; END $$;
         CREATE TRIGGER refuse_image BEFORE INSERT ON image FOR EACH ROW EXECUTE FUNCTION refuse_image();`
        : "DROP TRIGGER refuse_image ON image; DROP FUNCTION refuse_image();",
    );
  };

  it("removes the object it had stored", async () => {
    await refuseImageRows(true);
    expect((await upload(IMAGES[1]!)).status).toBeGreaterThanOrEqual(500);
    expect(await services.prisma.image.count()).toBe(0);
    expect(await services.objectStore.list("labs/")).toEqual([]);
    await refuseImageRows(false);
    expect((await upload(IMAGES[1]!)).status).toBe(201);
    expect(await services.objectStore.list("labs/")).toHaveLength(1);
  });
});
