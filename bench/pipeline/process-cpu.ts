import { readdirSync, readFileSync } from "node:fs";

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** User+system CPU seconds in a /proc stat line (a process's, its threads included, or one thread's). */
function statCpuSeconds(stat: string): number {
  // Fields after the command name (which may hold spaces, so it is skipped by its closing parenthesis): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** User+system CPU seconds a process has used so far, its threads included (Linux /proc). */
export function processCpuSeconds(pid: number): number {
  return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/**
 * A Node process's threads by what they do, from the names Node and its libraries give them:
 * the event loop (main), worker_threads (a piscina pool), libuv's pool (fs, crypto, zlib and
 * sharp's pipelines), libvips' own workers, V8's helpers (garbage collection, compilation), and
 * any other (an engine's threads).
 */
const THREAD_ROLES = ["main", "workerThreads", "libuv", "libvips", "v8Helpers", "other"] as const;
export type ThreadRole = (typeof THREAD_ROLES)[number];
const ROLE_BY_THREAD_NAME: Record<string, ThreadRole> = {
  WorkerThread: "workerThreads",
  "libuv-worker": "libuv",
  "libvips worker": "libvips",
  V8Worker: "v8Helpers",
};

/** User+system CPU seconds of each of a process's running threads so far, summed by role. */
export function threadCpuSeconds(pid: number): Record<ThreadRole, number> {
  const seconds = Object.fromEntries(THREAD_ROLES.map((role) => [role, 0])) as Record<ThreadRole, number>;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      const role = tid === String(pid) ? "main" : (ROLE_BY_THREAD_NAME[name] ?? "other");
      seconds[role] += statCpuSeconds(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8"));
    } catch {
      // The thread exited while being read.
    }
  }
  return seconds;
}

/**
 * User+system CPU seconds of every running process whose command is one of `commands` (Postgres's
 * backends, redis-server): a process that exits between two readings takes its seconds with it.
 */
export function commandsCpuSeconds(commands: readonly string[]): number {
  let seconds = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (commands.includes(command)) seconds += statCpuSeconds(stat);
    } catch {
      // The process exited while being read.
    }
  }
  return seconds;
}
