import { Worker } from "node:worker_threads";

interface PendingTask<TTask, TResult> {
  task: TTask;
  resolve(result: TResult): void;
  reject(error: Error): void;
}

/** What a pool thread posts back for one task. */
export type ThreadReply<TResult> =
  { ok: true; result: TResult } | { ok: false; error: { name: string; message: string } };

/**
 * A fixed number of worker threads, one task each at a time, the rest queued. A thread that dies
 * fails its task with an ordinary (retriable) Error and is replaced.
 */
export class ThreadPool<TTask, TResult> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, PendingTask<TTask, TResult>>();
  private readonly queue: PendingTask<TTask, TResult>[] = [];
  private closed = false;

  constructor(
    private readonly script: URL,
    size: number,
    private readonly toError: (error: { name: string; message: string }) => Error,
  ) {
    for (let i = 0; i < size; i += 1) this.idle.push(this.spawn());
  }

  run(task: TTask): Promise<TResult> {
    if (this.closed) return Promise.reject(new Error("Thread pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error("Thread pool closed"));
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage(pending.task);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(this.script);
    worker.on("message", (reply: ThreadReply<TResult>) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (reply.ok) pending?.resolve(reply.result);
      else pending?.reject(this.toError(reply.error));
      this.dispatch();
    });
    worker.on("error", (error) => this.replace(worker, error));
    worker.on("exit", (code) => this.replace(worker, new Error(`Preprocess thread exited with code ${code}`)));
    return worker;
  }

  private replace(worker: Worker, error: Error): void {
    const pending = this.busy.get(worker);
    const wasIdle = this.idle.indexOf(worker);
    if (!pending && wasIdle === -1) return; // already replaced, or terminated by close()
    this.busy.delete(worker);
    if (wasIdle !== -1) this.idle.splice(wasIdle, 1);
    pending?.reject(error);
    if (this.closed) return;
    this.idle.push(this.spawn());
    this.dispatch();
  }
}
