import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export function readPidFile(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Whether `pid` is alive and, where /proc tells, runs a command line containing `commandPart`
 * (a stale pid file must never make us signal an unrelated process that reused the pid).
 */
export function processRuns(pid: number, commandPart: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive but someone else's.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  return !existsSync(cmdline) || readFileSync(cmdline, "utf8").includes(commandPart);
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(pid: number, commandPart: string, graceMs = 10_000): Promise<void> {
  if (!processRuns(pid, commandPart)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (processRuns(pid, commandPart)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      return;
    }
    await sleep(100);
  }
}
