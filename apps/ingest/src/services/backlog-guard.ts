import type { LeukoflowQueue } from "@leukoflow/shared";
import { HttpProblem } from "../problem.js";

/** Refuses new uploads while the preprocess queue holds more unstarted jobs than the bound. */
export class BacklogGuard {
  constructor(
    private readonly queue: LeukoflowQueue<"preprocess">,
    private readonly maxBacklog: number,
    private readonly retryAfterSeconds: number,
  ) {}

  async assertRoom(): Promise<void> {
    const counts = await this.queue.getJobCounts("waiting", "delayed", "prioritized");
    const backlog = (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
    if (backlog >= this.maxBacklog) {
      throw new HttpProblem(
        503,
        "ingest-backlogged",
        "Too many images waiting to be processed",
        `Retry in ${this.retryAfterSeconds}s`,
        {
          retryAfterSeconds: this.retryAfterSeconds,
        },
      );
    }
  }
}
