import { WaitingError, type Job, type Processor, type Worker } from "bullmq";

/**
 * Wraps a processor so that a job BullMQ cancels (Worker.cancelAllJobs) goes back to the front of its
 * queue instead of failing: another worker picks it up without spending one of its attempts. The
 * cancelled handler may still run to its end in the background, so handlers must be idempotent.
 */
export function handBackWhenCancelled(processor: Processor): Processor {
  // Three declared parameters: BullMQ passes a cancellation signal only to processors that take one.
  return async (job: Job, token?: string, signal?: AbortSignal) => {
    const work = processor(job, token, signal);
    if (!signal) return work;
    try {
      return await Promise.race([work, aborted(signal)]);
    } catch (error) {
      if (!signal.aborted) throw error;
      work.catch(() => undefined);
      await job.moveToWait(token);
      throw new WaitingError(`handed back: ${String(signal.reason)}`);
    }
  };
}

/** How often jobs are cancelled again after the deadline: one fetched just before closing is tracked (cancellable) only once it starts. */
const CANCEL_REPEAT_MS = 50;

/**
 * Stops a worker taking jobs and waits for those in flight; once `deadline` aborts, cancels them so a
 * processor wrapped by handBackWhenCancelled returns each to its queue.
 */
export async function closeWorker(worker: Worker, deadline?: AbortSignal): Promise<void> {
  const closing = worker.close();
  let repeat: NodeJS.Timeout | undefined;
  const cancelFromDeadline = () => {
    const cancel = () => worker.cancelAllJobs("shutdown deadline reached");
    cancel();
    repeat = setInterval(cancel, CANCEL_REPEAT_MS);
  };
  if (deadline?.aborted) cancelFromDeadline();
  else deadline?.addEventListener("abort", cancelFromDeadline, { once: true });
  try {
    await closing;
  } finally {
    clearInterval(repeat);
    deadline?.removeEventListener("abort", cancelFromDeadline);
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort, { once: true });
  });
}
