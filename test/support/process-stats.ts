import { readdirSync, readFileSync } from "node:fs";

export interface ProcessStats {
  rssMiB: number;
  openFds: number;
}

/** Resident memory and open file descriptors of a running process, from /proc; zeros when it is not running. */
export function processStats(pid: number | undefined): ProcessStats {
  if (!pid) return { rssMiB: 0, openFds: 0 };
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssMiB: Math.round(rssKiB / 102.4) / 10, openFds: readdirSync(`/proc/${pid}/fd`).length };
}
