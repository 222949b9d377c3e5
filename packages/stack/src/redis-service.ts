import { mkdirSync } from "node:fs";
import { Redis } from "ioredis";
import { isLocalUrl } from "./local-host.js";
import { processRuns, readPidFile, stopProcess } from "./processes.js";
import { runCommand } from "./run-command.js";
import { stateFiles } from "./state-files.js";
import { waitUntil } from "./wait.js";

export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined); // failures surface as the rejected connect/ping below
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** No npm package ships a Redis server: what to run when there is none to start. */
export class RedisNotInstalledError extends Error {
  override readonly name = "RedisNotInstalledError";
  constructor(url: string) {
    super(
      `Redis does not answer at ${url} and redis-server is not installed to start one: install it with ` +
        "`sudo apt-get install redis-server` (Debian/Ubuntu; `brew install redis` on macOS), " +
        "or run `docker compose -f infra/compose.yaml up -d redis`",
    );
  }
}

async function isInstalled(program: string): Promise<boolean> {
  return runCommand("sh", ["-c", `command -v ${program}`]).then(
    () => true,
    () => false,
  );
}

/** Reuses the Redis answering at `url`, else starts the installed redis-server there. Returns whether it started one. */
export async function ensureRedis(url: string, stateDir: string): Promise<boolean> {
  if (await redisAnswers(url)) return false;
  if (!isLocalUrl(url))
    throw new Error(`Redis at ${url} does not answer, and it is not on this machine for stack up to start`);
  if (!(await isInstalled("redis-server"))) throw new RedisNotInstalledError(url);
  const files = stateFiles(stateDir);
  mkdirSync(files.redisDir, { recursive: true });
  // Like the machine's own Redis (nothing kept on disk), but with its files in the state directory.
  await runCommand("redis-server", [
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    new URL(url).port || "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    files.redisDir,
    "--logfile",
    files.redisLog,
    "--pidfile",
    files.redisPid,
  ]);
  await waitUntil(
    () => redisAnswers(url),
    `the redis-server started for ${url} did not answer (log: ${files.redisLog})`,
  );
  return true;
}

/** Stops the redis-server ensureRedis started; returns whether it was still running. */
export async function stopStartedRedis(stateDir: string): Promise<boolean> {
  const pid = readPidFile(stateFiles(stateDir).redisPid);
  if (pid === null || !processRuns(pid, "redis-server")) return false;
  await stopProcess(pid, "redis-server");
  return true;
}
