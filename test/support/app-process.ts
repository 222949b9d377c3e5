import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export type AppName = "ingest" | "preprocess-worker" | "inference-worker";

/** One of LeukoFlow's apps as a real child process (its built dist/main.js), with its output kept. */
export class AppProcess {
  private child: ChildProcess | null = null;
  /** Everything the process wrote to stdout and stderr, across restarts. */
  output = "";

  constructor(
    readonly app: AppName,
    private readonly env: Record<string, string>,
  ) {}

  /** The running process's id; undefined while it is not running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): this {
    const child = spawn(process.execPath, [path.join(ROOT, "apps", this.app, "dist", "main.js")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => (this.output += chunk.toString());
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    this.child = child;
    return this;
  }

  /** Kills the process without warning, as a crash or the OOM killer would, and waits for it to go. */
  async crash(): Promise<void> {
    await this.stop("SIGKILL");
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    // "close" comes after the last of its output, which "exit" can precede.
    const exited = new Promise((resolve) => child.once("close", resolve));
    child.kill(signal);
    await exited;
  }
}
