import { ConfigError } from "./errors.js";

/**
 * Runs a service until SIGTERM or SIGINT, then closes it (stop taking work, finish what is in
 * flight, close connections). A bad configuration exits at once with a readable message.
 */
export async function runUntilSignalled(name: string, start: () => Promise<{ close(): Promise<void> }>): Promise<void> {
  let service: { close(): Promise<void> };
  try {
    service = await start();
  } catch (error) {
    console.error(error instanceof ConfigError ? `${name}: ${error.message}` : error);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`${name}: ${signal} received, shutting down`);
    await service.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
