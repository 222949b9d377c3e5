import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";

/** A process the demo runs: its name (for the log file) and the built entry point the caller names. */
export interface AppEntry {
  name: string;
  entry: string;
}

/** Parses `--app name=path/to/main.js`. */
export function parseAppEntry(value: string, previous: AppEntry[] = []): AppEntry[] {
  const [name, entry] = value.split("=", 2);
  if (!name || !entry) throw new Error(`--app expects name=entry-point, got ${value}`);
  return [...previous, { name, entry: path.resolve(entry) }];
}

export interface AppProcesses {
  /** Rejects as soon as any app exits on its own, naming its log file. */
  crashed: Promise<never>;
  stop(): Promise<void>;
}

/** Starts each app's built entry point as a child process, logging to <logDir>/<name>.log. */
export function startApps(apps: readonly AppEntry[], env: NodeJS.ProcessEnv, logDir: string): AppProcesses {
  mkdirSync(logDir, { recursive: true });
  let stopping = false;
  const children = apps.map(({ name: app, entry }) => {
    const log = createWriteStream(path.join(logDir, `${app}.log`));
    const child = spawn(process.execPath, [entry], {
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
