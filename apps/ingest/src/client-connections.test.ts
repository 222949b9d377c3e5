import { once } from "node:events";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { createLogger, createQueue, type LeukoflowQueue } from "@leukoflow/shared";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { waitFor } from "../../../test/support/wait-for.js";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";
import { loadIngestEnv } from "./env.js";
import { buildServer, ingestLimits } from "./server.js";

/** Clients that stall, hang up halfway, or put their key in the URL; the server's own log is read back. */
describe("client connections", () => {
  const harness = useIngestServer({
    CONNECTION_TIMEOUT_MS: "1000",
    REQUEST_TIMEOUT_MS: "5000",
    HEADERS_TIMEOUT_MS: "2000",
  });
  const { services } = harness;
  const lines: string[] = [];
  let server: FastifyInstance;
  let queue: LeukoflowQueue<"preprocess">;
  let port: number;
  let lab: TestLab;

  beforeAll(async () => {
    queue = createQueue("preprocess", harness.redis, services.env.QUEUE_PREFIX!);
    server = await buildServer({
      db: services.db,
      objectStore: services.objectStore,
      preprocessQueue: queue,
      redis: harness.redis,
      logger: createLogger("ingest-logged", "info", { write: (line: string) => void lines.push(line) }),
      limits: ingestLimits(loadIngestEnv(harness.env)),
    });
    port = Number(new URL(await server.listen({ host: "127.0.0.1", port: 0 })).port);
    lab = await createTestLab(services.prisma, "lab-connections");
  });

  afterAll(async () => {
    await server?.close();
    await queue?.close();
  });

  /** Sends the raw bytes of a request and returns the socket, left open. */
  const rawRequest = async (head: string, body: Buffer = Buffer.alloc(0)) => {
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    socket.write(Buffer.concat([Buffer.from(head.replaceAll("\n", "\r\n")), body]));
    return socket;
  };

  it("closes a connection whose body stops arriving, and bounds headers and whole requests in time", async () => {
    expect(server.server.requestTimeout).toBe(5000);
    expect(server.server.headersTimeout).toBe(2000);
    const socket = await rawRequest(
      `POST /v1/specimens HTTP/1.1\nhost: ingest\nauthorization: Bearer ${lab.key}\ncontent-type: application/json\ncontent-length: 1000\n\n`,
      Buffer.from('{"accession":'),
    );
    socket.resume();
    await once(socket, "close");
  });

  it("logs a client that hangs up mid-upload as that, not as a dependency outage", async () => {
    const specimen = await harness.createSpecimen(lab.key, "HANG-UP");
    const [file] = ariaImages("benign", 1, 90);
    const bytes = readFileSync(file!);
    const partHead = `--cut\r\ncontent-disposition: form-data; name="images"; filename="cut.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`;
    const socket = await rawRequest(
      `POST /v1/specimens/${specimen.id}/images HTTP/1.1\nhost: ingest\nauthorization: Bearer ${lab.key}\n` +
        `content-type: multipart/form-data; boundary=cut\ncontent-length: ${partHead.length + bytes.length + 10}\n\n`,
      Buffer.concat([Buffer.from(partHead), bytes.subarray(0, bytes.length / 2)]),
    );
    await waitFor("the upload to reach the server", async () =>
      lines.some((line) => line.includes(`/v1/specimens/${specimen.id}/images`)) ? true : null,
    );
    socket.destroy();
    const hangUp = await waitFor(
      "the hang-up to be logged",
      async () => lines.find((line) => line.includes("client closed the request")) ?? null,
    );
    expect(JSON.parse(hangUp)).toMatchObject({ level: 30 });
    expect(lines.filter((line) => line.includes("dependency is unavailable") || line.includes('"level":50'))).toEqual(
      [],
    );
    expect(await services.prisma.image.count({ where: { specimenId: specimen.id } })).toBe(0);
  });

  it("never logs an API key sent in the query string", async () => {
    const secrets = ["api_key", "key", "access_token", "apiKey", "token"].map(
      (name) => [name, `lf_query_secret_${name}_0123456789abcdef`] as const,
    );
    for (const [name, secret] of secrets) {
      const response = await fetch(`http://127.0.0.1:${port}/v1/specimens?limit=5&${name}=${secret}&status=PROCESSING`);
      expect(response.status).toBe(401);
    }
    await waitFor("every request to be logged", async () =>
      lines.filter((line) => line.includes("lf_query_secret_") || line.includes("[redacted]")).length >= secrets.length
        ? true
        : null,
    );
    for (const [, secret] of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
    expect(lines.some((line) => line.includes("/v1/specimens?limit=5&api_key=[redacted]&status=PROCESSING"))).toBe(
      true,
    );
  });
});
