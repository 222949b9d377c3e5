import { randomBytes } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { S3FaultProxy } from "../../../test/support/s3-fault-proxy.js";
import { waitFor } from "../../../test/support/wait-for.js";
import { ObjectStore, ObjectStoreRequestError, ariaOriginalDir, type ObjectStoreConfig } from "@leukoflow/shared";

const SAMPLE_JPEG = path.join(ariaOriginalDir(), "benign/WBC-Benign-001.jpg");
const MiB = 1024 * 1024;

// s3rver does not check V4 signatures, so every store here talks to it through a proxy that does, as S3 would.
describe("ObjectStore's signed GET and PUT", () => {
  const services = useIsolatedServices();
  const proxy = new S3FaultProxy(services.env.S3_ENDPOINT!, {
    checkSignaturesWith: services.env.S3_SECRET_ACCESS_KEY!,
  });
  const stores: ObjectStore[] = [];
  let config: ObjectStoreConfig;
  let store: ObjectStore;
  const storeWith = (secretAccessKey: string) => {
    const created = new ObjectStore({ ...config, secretAccessKey });
    stores.push(created);
    return created;
  };

  beforeAll(async () => {
    config = {
      endpoint: await proxy.start(),
      region: services.env.S3_REGION!,
      bucket: services.env.S3_BUCKET!,
      accessKeyId: services.env.S3_ACCESS_KEY_ID!,
      secretAccessKey: services.env.S3_SECRET_ACCESS_KEY!,
    };
    store = new ObjectStore(config);
    stores.push(store);
  });
  afterAll(async () => {
    for (const created of stores) created.destroy();
    await proxy.close();
  });

  it("signs as S3 checks, under keys that need escaping, and agrees with the SDK's requests on what was stored", async () => {
    const bytes = readFileSync(SAMPLE_JPEG);
    const key = "uploads/lab one/WBC (1) +é!*'~.jpg";

    await store.put(key, bytes, "image/jpeg");
    expect(await store.head(key)).toEqual({ size: bytes.length, contentType: "image/jpeg" });
    expect(await store.list("uploads/lab one/")).toEqual([key]);

    const before = proxy.forwarded;
    await store.put("streamed/WBC (1).jpg", createReadStream(SAMPLE_JPEG), "image/jpeg"); // within one part: one PUT
    expect(proxy.forwarded - before).toBe(1);
    expect((await store.get("streamed/WBC (1).jpg")).equals(bytes)).toBe(true);
    expect((await store.get(key)).equals(bytes)).toBe(true);

    const large = randomBytes(6 * MiB); // past one part: the SDK's multipart upload
    const parts = Array.from({ length: 6 }, (_, i) => large.subarray(i * MiB, (i + 1) * MiB));
    await store.put("streamed/large (2).bin", Readable.from(parts), "application/octet-stream");
    expect((await store.get("streamed/large (2).bin")).equals(large)).toBe(true);
    expect(proxy.rejected).toEqual([]);
  });

  it("says which request storage refused, with its status and S3 code, and does not retry what cannot succeed", async () => {
    await expect(store.get("missing/object.bin")).rejects.toMatchObject({
      name: "ObjectStoreRequestError",
      method: "GET",
      key: "missing/object.bin",
      code: "NoSuchKey",
      $metadata: { httpStatusCode: 404 },
    });

    const forwarded = proxy.forwarded;
    const refused = storeWith("not-the-secret").put("denied.bin", Buffer.from("x"), "application/octet-stream");
    await expect(refused).rejects.toBeInstanceOf(ObjectStoreRequestError);
    await expect(refused).rejects.toMatchObject({ code: "SignatureDoesNotMatch", $metadata: { httpStatusCode: 403 } });
    expect(proxy.rejected).toEqual(["SignatureDoesNotMatch"]);
    expect(proxy.forwarded).toBe(forwarded);
    expect(await store.head("denied.bin")).toBeNull();
  });

  describe("while storage sheds load (503 SlowDown)", () => {
    it("gives up after three attempts with the last answer", async () => {
      const before = proxy.refused;
      proxy.fail();
      try {
        await expect(store.get("any.bin")).rejects.toMatchObject({
          code: "SlowDown",
          $metadata: { httpStatusCode: 503 },
        });
      } finally {
        proxy.heal();
      }
      expect(proxy.refused - before).toBe(3);
    });

    it("succeeds on a retry once storage answers again", async () => {
      const before = proxy.refused;
      const bytes = Buffer.from("model input bytes");
      proxy.fail();
      const written = store.put("retried.bin", bytes, "application/octet-stream");
      await waitFor("a refused attempt", async () => (proxy.refused > before ? true : null), 5_000, 5);
      proxy.heal();
      await written;
      expect((await store.get("retried.bin")).equals(bytes)).toBe(true);
    });
  });
});
