import type { Job } from "bullmq";
import { describe, expect, it } from "vitest";
import { createProcessor, type JobHandlers } from "./processor.js";

const IMAGE_ID = "4b0f7f0e-7f7e-4f3b-9c55-0d8f5c1f7a10";

describe("createProcessor", () => {
  it("dispatches a valid payload to the handler of its job name", async () => {
    const seen: string[] = [];
    const processor = createProcessor("preprocess", {
      "preprocess-image": async (payload) => seen.push(payload.imageId),
    });
    await processor({ name: "preprocess-image", data: { v: 1, imageId: IMAGE_ID } } as Job);
    expect(seen).toEqual([IMAGE_ID]);
  });

  it("fails at startup when a job name has no handler or a handler names no job", () => {
    expect(() => createProcessor("preprocess", {} as JobHandlers<"preprocess">)).toThrow(/do not match/);
    const extra = { "preprocess-image": async () => undefined, "resize-image": async () => undefined };
    expect(() => createProcessor("preprocess", extra as JobHandlers<"preprocess">)).toThrow(/do not match/);
  });

  it("refuses an unknown payload version as unrecoverable instead of guessing", async () => {
    const processor = createProcessor("preprocess", { "preprocess-image": async () => undefined });
    await expect(
      processor({ name: "preprocess-image", data: { v: 2, imageId: IMAGE_ID } } as Job),
    ).rejects.toMatchObject({
      name: "UnrecoverableError",
    });
  });
});
