import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@leukoflow/stack";
import { Redis } from "ioredis";
import { waitFor } from "./wait-for.js";

/**
 * A redis-server of the test's own on a spare port, so a test can kill it and start it again
 * without touching the shared Redis. Configured as production must be (docs/reliability.md): an
 * append-only file (written before each reply unless a slow fsync has Redis wait, fsynced every second),
 * and no eviction (jobs are keys).
 */
export class RedisServer {
  private child: ChildProcess | null = null;
  private port = 0;
  private dir = "";

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (the first time on a free port, later on the same one) and waits until it answers; `extraArgs` are redis-server options for this start only. */
  async start(extraArgs: string[] = []): Promise<this> {
    this.port ||= await freePort();
    this.dir ||= mkdtempSync(path.join(tmpdir(), "lf-redis-"));
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--dir",
        this.dir,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "everysec",
        "--maxmemory-policy",
        "noeviction",
        ...extraArgs,
      ],
      { stdio: "ignore" },
    );
    this.child = child;
    await waitFor(`redis-server on port ${this.port}`, () => this.ping(), 10_000, 50);
    return this;
  }

  /**
   * Has Redis write what it has acknowledged to its append-only file now, and every command from
   * here on before it replies. With `appendfsync everysec` it does that before each reply too, except
   * while the previous fsync is still running (a busy disk), when it may put the write off for up to
   * 2 s: a crash then loses those acknowledged writes, which the reconciler, not the file, restores.
   * A test of what the file keeps calls this before crash(); a restart goes back to `everysec`.
   */
  async writeAppendOnlyFileNow(): Promise<void> {
    const redis = new Redis(this.url, { maxRetriesPerRequest: 0 });
    try {
      await redis.config("SET", "appendfsync", "always");
    } finally {
      redis.disconnect();
    }
  }

  /** SIGKILL: Redis gets no chance to write anything more; what its append-only file holds survives. */
  async crash(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Deletes its data directory while it is down, as losing the disk or a failover to an empty replica would. */
  loseData(): void {
    if (this.child) throw new Error("crash the redis-server before it loses its data");
    rmSync(this.dir, { recursive: true, force: true });
    this.dir = "";
  }

  async close(): Promise<void> {
    await this.crash();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private async ping(): Promise<true | null> {
    const redis = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on("error", () => undefined);
    try {
      await redis.connect();
      return (await redis.ping()) === "PONG" ? true : null;
    } catch {
      return null;
    } finally {
      redis.disconnect();
    }
  }
}
