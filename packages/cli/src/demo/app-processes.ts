import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../paths.js";

export const APPS = ["ingest", "preprocess-worker", "inference-worker"] as const;
export type AppName = (typeof APPS)[number];

export interface AppProcesses {
  /** Rejects as soon as any app exits on its own, naming its log file. */
  crashed: Promise<never>;
  stop(): Promise<void>;
}

/** Starts each app's built entry point as a child process, logging to <logDir>/<app>.log. */
export function startApps(env: NodeJS.ProcessEnv, logDir: string): AppProcesses {
  mkdirSync(logDir, { recursive: true });
  let stopping = false;
  const children = APPS.map((app) => {
    const log = createWriteStream(path.join(logDir, `${app}.log`));
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "apps", app, "dist", "main.js")], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    return { app, child, logPath: log.path as string };
  });
  const crashed = new Promise<never>((_, reject) => {
    for (const { app, child, logPath } of children) {
      child.once("exit", (code) => {
        if (!stopping) reject(new Error(`${app} exited with code ${code}; see ${logPath}`));
      });
    }
  });
  crashed.catch(() => undefined);
  return {
    crashed,
    stop: async () => {
      stopping = true;
      await Promise.all(children.map(({ child }) => terminate(child)));
    },
  };
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
