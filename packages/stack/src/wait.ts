import { setTimeout as sleep } from "node:timers/promises";

/** Polls `check` until it holds; a check that throws ends the wait with its error. */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(250);
  }
}
