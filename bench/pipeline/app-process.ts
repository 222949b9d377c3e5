import { spawn } from "node:child_process";
import path from "node:path";
import { processCpuSeconds, threadCpuSeconds, type ThreadRole } from "./process-cpu.js";

const APPS_DIR = path.resolve(import.meta.dirname, "../../apps");

export interface AppProcess {
  /** Resolves once the app has logged `readyMessage`, if one was given (it then logs at info). */
  ready: Promise<void>;
  /** User+system CPU seconds the process has used so far. */
  cpuSeconds(): number;
  /** The same, per role of its threads (the running ones: an exited thread takes its seconds with it). */
  threadCpuSeconds(): Record<ThreadRole, number>;
  /** SIGTERM, so a worker hands its in-flight jobs back before it exits. */
  stop(): Promise<void>;
}

/** An app's built entry point (apps/<app>/dist/main.js) as its own process; its output is kept for when it dies. */
export function startApp(
  app: "ingest" | "preprocess-worker" | "inference-worker",
  env: Record<string, string>,
  readyMessage?: string,
): AppProcess {
  const child = spawn(process.execPath, [path.join(APPS_DIR, app, "dist", "main.js")], {
    env: {
      PATH: process.env.PATH ?? "",
      ...env,
      ...(readyMessage ? { LOG_LEVEL: "info" } : {}),
      ...(process.env.BENCH_CPU_PROFILE_DIR
        ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}` }
        : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let onReady = () => {};
  const ready = readyMessage ? new Promise<void>((resolve) => (onReady = resolve)) : Promise.resolve();
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
    if (readyMessage && output.includes(`"msg":"${readyMessage}"`)) onReady();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", (code) => {
    if (!stopping) console.error(`${app} exited with code ${code}:\n${output}`);
  });
  return {
    ready,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    threadCpuSeconds: () => threadCpuSeconds(child.pid!),
    stop: async () => {
      stopping = true;
      if (child.exitCode !== null) return;
      const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(killer);
    },
  };
}
