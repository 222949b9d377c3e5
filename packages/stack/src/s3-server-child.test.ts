import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ObjectStore, ariaOriginalDir } from "@leukoflow/shared";
import { processRuns } from "./processes.js";
import { startS3ServerChild } from "@leukoflow/stack";

const SAMPLE_JPEG = path.join(ariaOriginalDir(), "benign/WBC-Benign-001.jpg");

// The built package, as the benchmark uses it: the child runs dist/s3-server-process.js.
describe("startS3ServerChild", () => {
  const directory = mkdtempSync(path.join(tmpdir(), "leukoflow-s3rver-child-test-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("serves from its own process, counts the requests it answered by method, and stops", async () => {
    const server = await startS3ServerChild({ directory });
    const store = new ObjectStore({ ...server, region: "us-east-1", bucket: "child-test" });
    try {
      expect(server.pid).not.toBe(process.pid);
      await store.ensureBucket();
      const before = await server.requests();
      const bytes = readFileSync(SAMPLE_JPEG);
      await store.put("a.jpg", bytes, "image/jpeg");
      expect(await store.get("a.jpg")).toEqual(bytes);
      const after = await server.requests();
      expect([after.PUT! - (before.PUT ?? 0), after.GET! - (before.GET ?? 0)]).toEqual([1, 1]);
    } finally {
      store.destroy();
      await server.close();
    }
    expect(processRuns(server.pid, "s3-server-process")).toBe(false);
  });
});
