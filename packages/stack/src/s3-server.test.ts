import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ObjectStore, ariaOriginalDir } from "@leukoflow/shared";
import { startS3Server, type RunningS3Server } from "./s3-server.js";

const SAMPLE_JPEG = path.join(ariaOriginalDir(), "benign/WBC-Benign-001.jpg");
const MiB = 1024 * 1024;

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("startS3Server", () => {
  const directory = mkdtempSync(path.join(tmpdir(), "leukoflow-s3rver-test-"));
  let server: RunningS3Server;
  let store: ObjectStore;

  beforeAll(async () => {
    server = await startS3Server({ directory, port: 0 });
    store = new ObjectStore({ ...server, region: "us-east-1", bucket: "stack-test" });
    await store.ensureBucket();
  });

  afterAll(async () => {
    store?.destroy();
    await server?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("listens on a free port of 127.0.0.1 with s3rver's credentials", () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.endpoint).not.toMatch(/:0$/);
    expect([server.accessKeyId, server.secretAccessKey]).toEqual(["S3RVER", "S3RVER"]);
  });

  it("round-trips a real microscope image, streamed from disk, byte for byte", async () => {
    await store.put("uploads/WBC-Benign-001.jpg", createReadStream(SAMPLE_JPEG), "image/jpeg");

    expect(sha256(await store.get("uploads/WBC-Benign-001.jpg"))).toBe(sha256(readFileSync(SAMPLE_JPEG)));
    expect(await store.head("uploads/WBC-Benign-001.jpg")).toEqual({
      size: readFileSync(SAMPLE_JPEG).length,
      contentType: "image/jpeg",
    });
  });

  it("round-trips a stream large enough for a multipart upload (three 5 MiB parts)", async () => {
    const body = randomBytes(11 * MiB);
    const chunks = Array.from({ length: 11 }, (_, i) => body.subarray(i * MiB, (i + 1) * MiB));

    await store.put("large/random.bin", Readable.from(chunks), "application/octet-stream");

    expect(sha256(await store.get("large/random.bin"))).toBe(sha256(body));
  });

  it("counts the requests it answers per method", async () => {
    const before = server.requests();
    await store.put("counted/one.bin", Buffer.from("one"), "application/octet-stream");
    await store.get("counted/one.bin");
    await store.get("counted/one.bin");
    const after = server.requests();
    expect((after.PUT ?? 0) - (before.PUT ?? 0)).toBe(1);
    expect((after.GET ?? 0) - (before.GET ?? 0)).toBe(2);
  });
});
