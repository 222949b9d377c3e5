import { CommonEnv, parseEnv } from "./env.js";
import { ConfigError } from "./errors.js";

/** A running process's services; `close` must be done with in-flight work once `deadline` aborts. */
export interface ClosableService {
  close(deadline?: AbortSignal): Promise<void>;
}

/** Time `close` gets after the deadline to hand work back and close connections before the process exits anyway. */
const HAND_BACK_GRACE_MS = 5_000;

const ShutdownEnv = CommonEnv.pick({ SHUTDOWN_DEADLINE_MS: true });

/**
 * Runs a service until SIGTERM or SIGINT, then closes it: stop taking work, let in-flight work finish
 * until SHUTDOWN_DEADLINE_MS, hand back what is still running, close connections. A close that hangs
 * past the deadline and a grace period exits with status 1. A bad configuration exits at once with a
 * readable message.
 */
export async function runUntilSignalled(name: string, start: () => Promise<ClosableService>): Promise<void> {
  // Listening before starting: a signal while the service starts (its worker may already hold jobs)
  // closes it once started instead of killing the process mid-job. Later signals are ignored.
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    process.on("SIGTERM", resolve);
    process.on("SIGINT", resolve);
  });
  let service: ClosableService;
  let deadlineMs: number;
  try {
    deadlineMs = parseEnv(ShutdownEnv, process.env).SHUTDOWN_DEADLINE_MS;
    service = await start();
  } catch (error) {
    console.error(error instanceof ConfigError ? `${name}: ${error.message}` : error);
    process.exit(1);
  }
  void signalled.then(async (signal) => {
    console.error(`${name}: ${signal} received, shutting down (deadline ${deadlineMs} ms)`);
    setTimeout(() => {
      console.error(`${name}: still closing ${HAND_BACK_GRACE_MS} ms after the deadline, exiting`);
      process.exit(1);
    }, deadlineMs + HAND_BACK_GRACE_MS).unref();
    await service.close(AbortSignal.timeout(deadlineMs));
    process.exit(0);
  });
}
