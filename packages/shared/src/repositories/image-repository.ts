import type { ReviewQueueItem } from "@leukoflow/contracts";
import {
  ImageStatus,
  type DirectUpload,
  type Image,
  type Lab,
  type ModelVersion,
  type Prediction,
  type Review,
  type Specimen,
} from "../database.js";
import { Prisma } from "../prisma.js";
import type { ReviewImagesManifest } from "../review-images-manifest.js";
import type { DbClient } from "./database.js";

export type NewImage = Omit<Prisma.ImageUncheckedCreateInput, "predictions" | "reviews">;
/** What an image of bytes already classified takes over from the image that was: its model input and segmentation. */
export type ClassifiedImageFields = Pick<
  Image,
  "status" | "preprocessedKey" | "inputSize" | "stainNormalization" | "segmentation"
>;
/** A prediction to copy onto another image of the same bytes. */
export type ReusedPrediction = Omit<Prediction, "id" | "imageId" | "createdAt">;
/** A batch's prediction rows; one per (image, model version). */
export type NewPrediction = Prisma.PredictionCreateManyInput;
export type NewDirectUpload = Prisma.DirectUploadUncheckedCreateInput;
export type NewReview = Omit<Prisma.ReviewUncheckedCreateInput, "id" | "createdAt">;

/** A review with what its DTO names: the label it reviewed and the key that made it. */
export type ReviewWithContext = Review & { prediction: { label: string }; apiKey: { name: string } };
export const reviewContext = { prediction: { select: { label: true } }, apiKey: { select: { name: true } } } as const;

export type ImageStatusCounts = Record<ImageStatus, number>;

/** A classified image with what labels it: its latest prediction and latest review (with the prediction it reviewed). */
export type LabelledImageRow = Image & {
  lab: Pick<Lab, "slug">;
  specimen: Pick<Specimen, "accession">;
  predictions: (Prediction & { modelVersion: ModelVersion })[];
  reviews: (Review & { apiKey: { name: string }; prediction: Prediction & { modelVersion: ModelVersion } })[];
};

export interface LabelledImageFilter {
  /** Only this lab's images (its slug). */
  lab?: string;
  /** Only images reviewed, or else predicted, at or after this time. */
  since?: Date;
  /** Only images someone reviewed. */
  reviewedOnly: boolean;
}

/** An image with whether its lab wants review images made ahead of time. */
export type ImageWithLabSettings = Image & { lab: { eagerReviewImages: boolean } };

/** The model input an image was preprocessed into. */
export type PreprocessedInput = Pick<Image, "preprocessedKey" | "inputSize" | "stainNormalization"> &
  Partial<Pick<Image, "width" | "height" | "format">>;

/** An image with its latest prediction, if any. */
export type ImageWithLatestPrediction = Image & { predictions: Prediction[] };

/** A specimen's images, their predictions and reviews, and the direct uploads that become images. */
export class ImageRepository {
  constructor(private readonly db: DbClient) {}

  /** How many of the specimen's images (without one, of every lab's) are in each status. */
  async countByStatus(specimenId?: string): Promise<ImageStatusCounts> {
    const groups = await this.db.image.groupBy({
      by: ["status"],
      ...(specimenId ? { where: { specimenId } } : {}),
      _count: { _all: true },
    });
    const counts: ImageStatusCounts = { RECEIVED: 0, PREPROCESSED: 0, CLASSIFIED: 0, FAILED: 0 };
    for (const group of groups) counts[group.status] = group._count._all;
    return counts;
  }

  find(imageId: string): Promise<Image | null> {
    return this.db.image.findUnique({ where: { id: imageId } });
  }

  findWithLabSettings(imageId: string): Promise<ImageWithLabSettings | null> {
    return this.db.image.findUnique({
      where: { id: imageId },
      include: { lab: { select: { eagerReviewImages: true } } },
    });
  }

  /** Images still received or preprocessed whose row has not changed since `before`, by id, a page after `afterId`. */
  listUnsettledBefore(
    before: Date,
    afterId: string | undefined,
    take: number,
  ): Promise<Pick<Image, "id" | "status" | "round">[]> {
    return this.db.image.findMany({
      where: { status: { in: [ImageStatus.RECEIVED, ImageStatus.PREPROCESSED] }, updatedAt: { lt: before } },
      select: { id: true, status: true, round: true },
      orderBy: { id: "asc" },
      take,
      ...(afterId ? { cursor: { id: afterId }, skip: 1 } : {}),
    });
  }

  /** Records the image's model input, if it is still waiting for one. */
  async recordPreprocessed(imageId: string, input: PreprocessedInput): Promise<void> {
    await this.db.image.updateMany({
      where: { id: imageId, status: ImageStatus.RECEIVED },
      data: { ...input, status: ImageStatus.PREPROCESSED },
    });
  }

  /**
   * Sends a preprocessed image of round `round` back to preprocessing, in its next round; a replay
   * (the image already moved on) changes nothing. Returns the image's status and round after it.
   */
  async sendBackToPreprocessing(imageId: string, round: number): Promise<Pick<Image, "status" | "round">> {
    await this.db.image.updateMany({
      where: { id: imageId, status: ImageStatus.PREPROCESSED, round },
      data: { status: ImageStatus.RECEIVED, round: round + 1 },
    });
    return this.db.image.findUniqueOrThrow({ where: { id: imageId }, select: { status: true, round: true } });
  }

  /** Marks the image failed with why (cut to 1,000 characters); returns its lab and specimen. */
  markFailed(imageId: string, reason: string): Promise<Pick<Image, "labId" | "specimenId">> {
    return this.db.image.update({
      where: { id: imageId },
      data: { status: ImageStatus.FAILED, failureReason: reason.slice(0, 1_000) },
      select: { labId: true, specimenId: true },
    });
  }

  /** Records where the image's review images (mask, overlay, cell crops) are stored. */
  async setSegmentation(imageId: string, manifest: ReviewImagesManifest): Promise<void> {
    await this.db.image.update({
      where: { id: imageId },
      data: { segmentation: manifest as unknown as Prisma.InputJsonObject },
    });
  }

  /**
   * Inserts a batch's predictions (a replayed one is skipped: one per image and version) and marks
   * their preprocessed images classified. Call it in a transaction with the specimens' completion.
   */
  async insertPredictionsAndClassify(predictions: NewPrediction[]): Promise<void> {
    await this.db.prediction.createMany({ data: predictions, skipDuplicates: true });
    await this.db.image.updateMany({
      where: { id: { in: predictions.map((row) => row.imageId) }, status: ImageStatus.PREPROCESSED },
      data: { status: ImageStatus.CLASSIFIED },
    });
  }

  findPrediction(imageId: string, modelVersionId: string): Promise<Prediction | null> {
    return this.db.prediction.findUnique({ where: { imageId_modelVersionId: { imageId, modelVersionId } } });
  }

  findPredictionWithImage(predictionId: string): Promise<(Prediction & { image: Image }) | null> {
    return this.db.prediction.findUnique({ where: { id: predictionId }, include: { image: true } });
  }

  async setGradcamKey(predictionId: string, key: string): Promise<void> {
    await this.db.prediction.update({ where: { id: predictionId }, data: { gradcamKey: key } });
  }

  /**
   * The lab's classified images no one has reviewed, each with its latest prediction, ordered by
   * `flagOrder` (an image carrying an earlier flag first), then least confident, then oldest.
   */
  listUnreviewed(labId: string, flagOrder: readonly string[], limit: number): Promise<ReviewQueueItem[]> {
    const byFlags = Prisma.join(flagOrder.map((flag) => Prisma.sql`(${flag} = ANY(p.flags)) DESC`));
    return this.db.$queryRaw<ReviewQueueItem[]>`
      SELECT i.id AS "imageId", i.specimen_id AS "specimenId", s.accession, i.original_name AS "originalName",
             p.label, p.confidence, p.malignant_probability AS "malignantProbability", p.flags, p.ood_score AS "oodScore",
             m.name || '@' || m.version AS model, m.malignant_classes AS "malignantClasses"
      FROM image i
      JOIN specimen s ON s.id = i.specimen_id
      JOIN LATERAL (SELECT * FROM prediction WHERE image_id = i.id ORDER BY created_at DESC LIMIT 1) p ON true
      JOIN model_version m ON m.id = p.model_version_id
      WHERE i.lab_id = ${labId}::uuid AND i.status = 'CLASSIFIED' AND NOT EXISTS (SELECT 1 FROM review r WHERE r.image_id = i.id)
      ORDER BY ${byFlags}, p.confidence ASC, i.created_at ASC
      LIMIT ${limit}`;
  }

  /** Classified images, by specimen (oldest first) then upload, with what labels them. */
  listLabelled(filter: LabelledImageFilter): Promise<LabelledImageRow[]> {
    const since = filter.since ? { createdAt: { gte: filter.since } } : undefined;
    return this.db.image.findMany({
      where: {
        status: ImageStatus.CLASSIFIED,
        ...(filter.lab ? { lab: { slug: filter.lab } } : {}),
        ...(filter.reviewedOnly
          ? { reviews: { some: since ?? {} } }
          : since
            ? { OR: [{ reviews: { some: since } }, { predictions: { some: since } }] }
            : {}),
      },
      include: {
        lab: { select: { slug: true } },
        specimen: { select: { accession: true } },
        predictions: { orderBy: { createdAt: "desc" }, take: 1, include: { modelVersion: true } },
        reviews: {
          orderBy: { createdAt: "desc" },
          take: 1,
          include: { apiKey: { select: { name: true } }, prediction: { include: { modelVersion: true } } },
        },
      },
      orderBy: [{ specimen: { createdAt: "asc" } }, { createdAt: "asc" }, { id: "asc" }],
    });
  }

  findInLab(labId: string, imageId: string): Promise<Image | null> {
    return this.db.image.findFirst({ where: { id: imageId, labId } });
  }

  findWithLatestPrediction(labId: string, imageId: string): Promise<ImageWithLatestPrediction | null> {
    return this.db.image.findFirst({
      where: { id: imageId, labId },
      include: { predictions: { orderBy: { createdAt: "desc" }, take: 1 } },
    });
  }

  /** The specimen's image of these bytes. */
  findBySha(specimenId: string, sha256: string): Promise<Image | null> {
    return this.db.image.findUnique({ where: { specimenId_sha256: { specimenId, sha256 } } });
  }

  /** The specimen's images of any of these bytes. */
  listBySha(specimenId: string, sha256s: string[]): Promise<Pick<Image, "id" | "sha256">[]> {
    return this.db.image.findMany({
      where: { specimenId, sha256: { in: sha256s } },
      select: { id: true, sha256: true },
    });
  }

  /** The lab's images of these bytes, oldest first. */
  listLabCopies(labId: string, sha256: string): Promise<Image[]> {
    return this.db.image.findMany({ where: { labId, sha256 }, orderBy: { createdAt: "asc" } });
  }

  /** The active model's prediction of one of these images (the oldest), or null when it made none. */
  findActivePrediction(imageIds: string[]): Promise<Prediction | null> {
    return this.db.prediction.findFirst({
      where: { imageId: { in: imageIds }, modelVersion: { active: true } },
      orderBy: { createdAt: "asc" },
    });
  }

  create(image: NewImage): Promise<Image> {
    return this.db.image.create({ data: image });
  }

  /** An image that joins already classified, with a copy of the prediction. Call it in a transaction. */
  async createClassified(
    image: NewImage & { id: string },
    classified: ClassifiedImageFields,
    prediction: ReusedPrediction,
  ): Promise<void> {
    await this.db.image.create({
      data: { ...image, ...classified, segmentation: classified.segmentation ?? Prisma.DbNull },
    });
    const { probabilities, timings, members, ...rest } = prediction;
    await this.db.prediction.create({
      data: {
        ...rest,
        imageId: image.id,
        probabilities: probabilities as Prisma.InputJsonValue,
        timings: timings as Prisma.InputJsonValue,
        members: members ?? Prisma.DbNull,
      },
    });
  }

  async delete(imageId: string): Promise<void> {
    await this.db.image.delete({ where: { id: imageId } });
  }

  /** Which of these object keys an image or a pending direct upload holds. */
  async findOwnedObjectKeys(keys: string[]): Promise<Set<string>> {
    const [images, uploads] = await Promise.all([
      this.db.image.findMany({ where: { objectKey: { in: keys } }, select: { objectKey: true } }),
      this.db.directUpload.findMany({ where: { objectKey: { in: keys } }, select: { objectKey: true } }),
    ]);
    return new Set([...images, ...uploads].map((row) => row.objectKey));
  }

  async createDirectUpload(upload: NewDirectUpload): Promise<void> {
    await this.db.directUpload.create({ data: upload });
  }

  findDirectUpload(labId: string, uploadId: string): Promise<DirectUpload | null> {
    return this.db.directUpload.findFirst({ where: { id: uploadId, labId } });
  }

  /** Deletes the pending upload; false when it was gone already (another request claimed it). */
  async deleteDirectUpload(uploadId: string): Promise<boolean> {
    const { count } = await this.db.directUpload.deleteMany({ where: { id: uploadId } });
    return count > 0;
  }

  listExpiredDirectUploads(now: Date, take: number): Promise<DirectUpload[]> {
    return this.db.directUpload.findMany({ where: { expiresAt: { lt: now } }, take });
  }

  createReview(review: NewReview): Promise<ReviewWithContext> {
    return this.db.review.create({ data: review, include: reviewContext });
  }
}
