const POLL_MS = 200;

/** Polls `count` until it reaches `target`; resolves to the value then, with the moment it was read. */
export async function waitForCount(
  count: () => Promise<number>,
  target: number,
  timeoutMs: number,
): Promise<{ value: number; at: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await count();
    if (value >= target) return { value, at: performance.now() };
    if (Date.now() > deadline) throw new Error(`count reached ${value} of ${target} in ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Per-second growth of a count (images preprocessed, predictions written) between the moments it
 * passes `from` and `to`, so start-up and the draining tail stay out of the figure.
 */
export async function growthRateBetween(
  count: () => Promise<number>,
  from: number,
  to: number,
  timeoutMs: number,
): Promise<number> {
  const start = await waitForCount(count, from, timeoutMs);
  const end = await waitForCount(count, to, timeoutMs);
  return (end.value - start.value) / ((end.at - start.at) / 1000);
}

/** Per-second growth of a count over `seconds`, measured once it has grown by `settle` (model loaded, warmed up). */
export async function growthRateOver(
  count: () => Promise<number>,
  settle: number,
  seconds: number,
  timeoutMs: number,
): Promise<number> {
  const start = await waitForCount(count, (await count()) + settle, timeoutMs);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const end = { value: await count(), at: performance.now() };
  return (end.value - start.value) / ((end.at - start.at) / 1000);
}
