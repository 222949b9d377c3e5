import { describe, expect, it } from "vitest";
import { BatcherClosedError, MicroBatcher } from "./micro-batcher.js";

function recordingBatcher(maxBatchSize: number, maxQueueDelayMs: number, runMs = 0) {
  const batches: number[][] = [];
  let running = 0;
  let overlapped = false;
  const batcher = new MicroBatcher<number, number>({
    maxBatchSize,
    maxQueueDelayMs,
    run: async (batch) => {
      overlapped ||= running > 0;
      running += 1;
      batches.push(batch);
      await new Promise((resolve) => setTimeout(resolve, runMs));
      running -= 1;
      return batch.map((n) => n * 10);
    },
  });
  return { batcher, batches, overlapped: () => overlapped };
}

describe("MicroBatcher", () => {
  it("gathers concurrent requests into one batch up to the maximum size and answers each in order", async () => {
    const { batcher, batches } = recordingBatcher(4, 10_000);
    const outputs = await Promise.all([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(outputs).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it("runs a partial batch once the oldest request has waited the maximum delay", async () => {
    const { batcher, batches } = recordingBatcher(64, 20);
    expect(await Promise.all([batcher.submit(1), batcher.submit(2)])).toEqual([10, 20]);
    expect(batches).toEqual([[1, 2]]);
  });

  it("never runs two batches at once and batches what queued up meanwhile", async () => {
    const { batcher, batches, overlapped } = recordingBatcher(3, 0, 30);
    const first = batcher.submit(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const rest = [1, 2, 3, 4, 5].map((n) => batcher.submit(n));
    await Promise.all([first, ...rest]);
    expect(overlapped()).toBe(false);
    expect(batches).toEqual([[0], [1, 2, 3], [4, 5]]);
  });

  it("rejects every request of a failed batch and keeps serving", async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>({
      maxBatchSize: 2,
      maxQueueDelayMs: 0,
      run: async (batch) => {
        if (fail) throw new Error("device lost");
        return batch;
      },
    });
    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await batcher.submit(3)).toBe(3);
  });

  it("runs what is queued on close, then refuses new requests", async () => {
    const { batcher } = recordingBatcher(8, 10_000);
    const pending = batcher.submit(7);
    await batcher.close();
    expect(await pending).toBe(70);
    await expect(batcher.submit(8)).rejects.toBeInstanceOf(BatcherClosedError);
  });
});
