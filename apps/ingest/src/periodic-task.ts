import type { Logger } from "@leukoflow/shared";

export interface PeriodicTask {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Runs `task` every `intervalMs`, never two runs at once; a failed run is logged and the next tick tries again. */
export function runPeriodically(name: string, intervalMs: number, task: () => Promise<unknown>, logger: Logger): PeriodicTask {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= task()
      .then(() => undefined, (error: unknown) => logger.error({ err: error, task: name }, "periodic task failed"))
      .finally(() => (running = undefined));
  }, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
