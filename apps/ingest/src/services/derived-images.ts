import {
  createQueue,
  decodeModelInputPixels,
  enqueue,
  gradcamJobId,
  reviewImagesJobId,
  type Image,
  type LeukoflowQueue,
  type ObjectStore,
  type ReviewImagesManifest,
} from "@leukoflow/shared";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import sharp from "sharp";
import { HttpProblem, problems } from "../problem.js";

/** Not stored yet: the job that makes it is queued or running; ask again after a second or so. */
export const PENDING = "pending";
export type Pending = typeof PENDING;

type ImageWithPrediction = Image & { predictions: { id: string; gradcamKey: string | null }[] };

/**
 * Images a person looks at and the pipeline does not need: the segmentation mask, overlay and cell
 * crops (made by the preprocess worker) and a prediction's Grad-CAM (made by an inference worker,
 * which holds the model). Each is made on first request, through its own queue so it never waits
 * behind a backlog of hot-path jobs, and served from storage afterwards.
 */
export class DerivedImages {
  private readonly reviewImagesQueue: LeukoflowQueue<"review-images">;
  private readonly gradcamQueue: LeukoflowQueue<"gradcam">;

  constructor(
    private readonly objectStore: ObjectStore,
    redis: Redis,
    prefix: string,
  ) {
    this.reviewImagesQueue = createQueue("review-images", redis, prefix);
    this.gradcamQueue = createQueue("gradcam", redis, prefix);
  }

  async reviewImages(image: Image): Promise<ReviewImagesManifest | Pending> {
    if (image.segmentation) return image.segmentation as unknown as ReviewImagesManifest;
    if (!image.preprocessedKey) throw problems.notFound("The image's segmentation (the image is not preprocessed)");
    const jobId = reviewImagesJobId(image.id);
    await enqueue(this.reviewImagesQueue, "render-review-images", { v: 1, imageId: image.id }, jobId);
    return this.pendingOrFailed(this.reviewImagesQueue, jobId, "segmentation");
  }

  /** The key of the latest prediction's Grad-CAM overlay PNG. */
  async gradcam(image: ImageWithPrediction): Promise<string | Pending> {
    const prediction = image.predictions[0];
    if (!prediction) throw problems.notFound("The image's Grad-CAM (the image is not classified)");
    if (prediction.gradcamKey) return prediction.gradcamKey;
    const jobId = gradcamJobId(prediction.id);
    await enqueue(this.gradcamQueue, "render-gradcam", { v: 1, predictionId: prediction.id }, jobId);
    return this.pendingOrFailed(this.gradcamQueue, jobId, "Grad-CAM");
  }

  /** The model input as a PNG a browser shows; a model input stored as PNG (before the raw format) is one already. */
  async modelInputPng(key: string): Promise<Buffer> {
    const stored = await this.objectStore.get(key);
    if (key.endsWith(".png")) return stored;
    const { width, height, channels, data } = decodeModelInputPixels(stored);
    return sharp(data, { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } })
      .png()
      .toBuffer();
  }

  async close(): Promise<void> {
    await Promise.all([this.reviewImagesQueue.close(), this.gradcamQueue.close()]);
  }

  /** A job that failed for good stays failed (BullMQ keeps its id), so the image cannot be made: 404 with the reason. */
  private async pendingOrFailed(queue: Queue, jobId: string, what: string): Promise<Pending> {
    const job = await queue.getJob(jobId);
    if (job && (await job.getState()) === "failed")
      throw new HttpProblem(404, "not-found", `The image's ${what} could not be made`, job.failedReason);
    return PENDING;
  }
}
