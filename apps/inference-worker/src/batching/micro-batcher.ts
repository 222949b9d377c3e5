export interface MicroBatcherOptions<I, O> {
  maxBatchSize: number;
  /** How long the first request of a batch may wait for others before the batch runs anyway. */
  maxQueueDelayMs: number;
  /** Runs one batch; returns one output per input, in order. Never called while another batch runs. */
  run(batch: I[]): Promise<O[]>;
}

export class BatcherClosedError extends Error {
  override readonly name = "BatcherClosedError";
}

interface Pending<I, O> {
  input: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/**
 * Dynamic batching in the manner of Triton's dynamic batcher: requests from concurrent callers
 * queue up; a batch runs when maxBatchSize are waiting, or maxQueueDelayMs after the oldest
 * arrived, or as soon as the previous batch finishes if requests piled up while it ran.
 */
export class MicroBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: MicroBatcherOptions<I, O>) {}

  submit(input: I): Promise<O> {
    if (this.closed) return Promise.reject(new BatcherClosedError("the batcher is closed"));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Runs what is queued, then refuses new requests. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running || this.queue.length > 0) {
      if (!this.running) this.dispatch();
      await this.running;
    }
  }

  private schedule(): void {
    if (this.running) return;
    if (this.queue.length >= this.options.maxBatchSize) this.dispatch();
    else this.timer ??= setTimeout(() => this.dispatch(), this.options.maxQueueDelayMs);
  }

  private dispatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatchSize);
    this.running = this.runBatch(batch).finally(() => {
      this.running = undefined;
      // Requests that arrived during the run have waited at least as long as a batch takes: no further delay.
      if (this.queue.length > 0) this.dispatch();
    });
  }

  private async runBatch(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outputs = await this.options.run(batch.map((pending) => pending.input));
      if (outputs.length !== batch.length)
        throw new Error(`batch of ${batch.length} produced ${outputs.length} outputs`);
      batch.forEach((pending, i) => pending.resolve(outputs[i]!));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
