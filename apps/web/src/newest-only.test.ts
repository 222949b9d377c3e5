import { describe, expect, it } from "vitest";
import { newestOnly } from "../ui/report/newest-only.js";

/** Reads whose replies the test hands out in whatever order it likes. */
function controlledReads() {
  const pending: ((value: string) => void)[] = [];
  const read = () => new Promise<string>((resolve) => pending.push(resolve));
  return { read, answer: (index: number, value: string) => pending[index]!(value) };
}

describe("newestOnly", () => {
  it("drops a reply that comes after a later read's", async () => {
    const { read, answer } = controlledReads();
    const applied: string[] = [];
    const reload = newestOnly(read, (value) => applied.push(value));
    const [older, newer] = [reload(), reload()];
    answer(1, "completed");
    await newer;
    answer(0, "processing");
    await older;
    expect(applied).toEqual(["completed"]);
  });

  it("applies every reply that comes in order", async () => {
    const { read, answer } = controlledReads();
    const applied: string[] = [];
    const reload = newestOnly(read, (value) => applied.push(value));
    const [first, second] = [reload(), reload()];
    answer(0, "processing");
    await first;
    answer(1, "completed");
    await second;
    expect(applied).toEqual(["processing", "completed"]);
  });
});
