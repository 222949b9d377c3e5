import {
  enqueue,
  failImage,
  ImageStatus,
  imageJobIds,
  type LeukoflowQueue,
  type Database,
  type Logger,
  type SpecimenChangePublisher,
} from "@leukoflow/shared";

const PAGE = 500;

export interface StrandedImageDeps {
  db: Database;
  preprocessQueue: LeukoflowQueue<"preprocess">;
  inferenceQueue: LeukoflowQueue<"inference">;
  changes: SpecimenChangePublisher;
  logger: Logger;
  /** Only images whose row has not changed for this long are looked at: younger ones are in hand. */
  minAgeMs: number;
}

export interface ReconcileResult {
  requeued: number;
  failed: number;
}

/**
 * The database says what is left to do; Redis only holds the jobs doing it. An image still RECEIVED
 * or PREPROCESSED whose job Redis no longer has (Redis lost its data: no AOF, a host crash, a failover
 * to a replica behind) gets its job again; one whose job failed without the image being marked (the
 * database was down when the retries ran out) is marked failed with the job's reason. Job ids come
 * from the image, so a job enqueued twice is one job, and replicas may sweep at the same time.
 */
export class StrandedImageReconciler {
  constructor(private readonly deps: StrandedImageDeps) {}

  async sweep(now = new Date()): Promise<ReconcileResult> {
    const result: ReconcileResult = { requeued: 0, failed: 0 };
    const before = new Date(now.getTime() - this.deps.minAgeMs);
    let cursor: string | undefined;
    for (;;) {
      const images = await this.deps.db.images.listUnsettledBefore(before, cursor, PAGE);
      const outcomes = await Promise.all(images.map((image) => this.reconcile(image)));
      for (const outcome of outcomes) if (outcome !== "in-hand") result[outcome] += 1;
      if (images.length < PAGE) break;
      cursor = images.at(-1)!.id;
    }
    if (result.requeued + result.failed > 0)
      this.deps.logger.warn(result, "reconciled images whose jobs Redis had lost or failed");
    return result;
  }

  private async reconcile(image: {
    id: string;
    status: ImageStatus;
    round: number;
  }): Promise<"requeued" | "failed" | "in-hand"> {
    const imageId = image.id;
    const preprocess = image.status === ImageStatus.RECEIVED;
    const queue = preprocess ? this.deps.preprocessQueue : this.deps.inferenceQueue;
    const jobId = imageJobIds(image)[preprocess ? "preprocess" : "classify"];
    const state = await queue.getJobState(jobId);
    if (state === "unknown") {
      if (preprocess) await enqueue(this.deps.preprocessQueue, "preprocess-image", { v: 1, imageId }, jobId);
      else await enqueue(this.deps.inferenceQueue, "classify-image", { v: 1, imageId }, jobId);
      return "requeued";
    }
    if (state !== "failed") return "in-hand";
    const job = await queue.getJob(jobId);
    await failImage(this.deps, imageId, job?.failedReason || `its ${queue.name} job failed`);
    return "failed";
  }
}
