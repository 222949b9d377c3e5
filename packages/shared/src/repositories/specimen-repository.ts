import type { ReviewQueueItem } from "@leukoflow/contracts";
import {
  ImageStatus,
  SpecimenStatus,
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

export type NewSpecimen = Pick<Prisma.SpecimenUncheckedCreateInput, "labId" | "accession" | "patientRef">;
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
const reviewContext = { prediction: { select: { label: true } }, apiKey: { select: { name: true } } } as const;

export type ImageStatusCounts = Record<ImageStatus, number>;

export interface SpecimenListFilter {
  status?: SpecimenStatus;
  accession?: string;
  /** Strictly after this specimen in the list's order (newest first, then by id). */
  after?: { createdAt: Date; id: string };
}

/** A specimen as its report shows it: each image with its latest prediction (and version) and latest review. */
export type SpecimenWithResults = Specimen & {
  images: (Image & {
    predictions: (Prediction & { modelVersion: ModelVersion })[];
    reviews: ReviewWithContext[];
  })[];
};

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

/** Specimens, their images, predictions and reviews, and the direct uploads that become images. */
export class SpecimenRepository {
  constructor(private readonly db: DbClient) {}

  createSpecimen(specimen: NewSpecimen): Promise<Specimen> {
    return this.db.specimen.create({ data: specimen });
  }

  /** The lab's specimen; another lab's is as absent as one that does not exist. */
  findInLab(labId: string, specimenId: string): Promise<Specimen | null> {
    return this.db.specimen.findFirst({ where: { id: specimenId, labId } });
  }

  /** The lab's specimens, newest first (then by id), at most `take`. */
  listInLab(labId: string, filter: SpecimenListFilter, take: number): Promise<Specimen[]> {
    const { status, accession, after } = filter;
    return this.db.specimen.findMany({
      where: {
        labId,
        ...(status ? { status } : {}),
        ...(accession ? { accession } : {}),
        ...(after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    });
  }

  /** The lab's specimen with every image's latest prediction and review, images oldest first. */
  findWithResults(labId: string, specimenId: string): Promise<SpecimenWithResults | null> {
    return this.db.specimen.findFirst({
      where: { id: specimenId, labId },
      include: {
        images: {
          orderBy: { createdAt: "asc" },
          include: {
            predictions: { orderBy: { createdAt: "desc" }, take: 1, include: { modelVersion: true } },
            reviews: { orderBy: { createdAt: "desc" }, take: 1, include: reviewContext },
          },
        },
      },
    });
  }

  findWithLab(specimenId: string): Promise<(Specimen & { lab: Lab }) | null> {
    return this.db.specimen.findUnique({ where: { id: specimenId }, include: { lab: true } });
  }

  /** How many of the specimen's images are in each status. */
  async countImagesByStatus(specimenId: string): Promise<ImageStatusCounts> {
    const groups = await this.db.image.groupBy({ by: ["status"], where: { specimenId }, _count: { _all: true } });
    const counts: ImageStatusCounts = { RECEIVED: 0, PREPROCESSED: 0, CLASSIFIED: 0, FAILED: 0 };
    for (const group of groups) counts[group.status] = group._count._all;
    return counts;
  }

  /**
   * Locks the specimen's row for the rest of the transaction. A transaction that inserts images of a
   * specimen and then completes it must lock first: an image insert holds a key-share lock on the row,
   * and two such transactions upgrading to FOR UPDATE would deadlock.
   */
  async lock(specimenId: string): Promise<void> {
    await this.db.$queryRaw`SELECT id FROM specimen WHERE id = ${specimenId}::uuid FOR UPDATE`;
  }

  /** How many of the specimen's images are still on their way (received or preprocessed). */
  countInFlightImages(specimenId: string): Promise<number> {
    return this.db.image.count({
      where: { specimenId, status: { in: [ImageStatus.RECEIVED, ImageStatus.PREPROCESSED] } },
    });
  }

  /** The specimen's images, each with its latest prediction and the version that made it. */
  listImagesWithLatestPrediction(
    specimenId: string,
  ): Promise<(Image & { predictions: (Prediction & { modelVersion: ModelVersion })[] })[]> {
    return this.db.image.findMany({
      where: { specimenId },
      include: { predictions: { include: { modelVersion: true }, orderBy: { createdAt: "desc" }, take: 1 } },
    });
  }

  /** Settles the specimen with its summary unless it is settled already; false when it was. */
  async settle(specimenId: string, status: SpecimenStatus, summary: Prisma.InputJsonValue): Promise<boolean> {
    const { count } = await this.db.specimen.updateMany({
      where: { id: specimenId, status: { notIn: [SpecimenStatus.COMPLETED, SpecimenStatus.FAILED] } },
      data: { status, summary, completedAt: new Date() },
    });
    return count > 0;
  }

  /** A specimen that gets new images is in progress again, and will notify its completion again. */
  async reopen(specimenId: string): Promise<void> {
    await this.db.specimen.updateMany({
      where: { id: specimenId, status: { not: SpecimenStatus.PROCESSING } },
      data: { status: SpecimenStatus.PROCESSING, completedAt: null, completionNotifiedAt: null },
    });
  }

  /** Completed specimens whose completion is not handed on yet, oldest first, with their lab's webhook URL. */
  listUnnotifiedCompletions(take: number): Promise<{ id: string; completedAt: Date; webhookUrl: string | null }[]> {
    return this.db.specimen
      .findMany({
        where: { completionNotifiedAt: null, completedAt: { not: null } },
        select: { id: true, completedAt: true, lab: { select: { webhookUrl: true } } },
        orderBy: { completedAt: "asc" },
        take,
      })
      .then((rows) =>
        rows.map((row) => ({ id: row.id, completedAt: row.completedAt!, webhookUrl: row.lab.webhookUrl })),
      );
  }

  /** Marks this completion (the specimen completed at `completedAt`) handed on; false when another run did. */
  async markCompletionNotified(specimenId: string, completedAt: Date): Promise<boolean> {
    const { count } = await this.db.specimen.updateMany({
      where: { id: specimenId, completedAt, completionNotifiedAt: null },
      data: { completionNotifiedAt: new Date() },
    });
    return count > 0;
  }

  /** How many images, of every lab, are in each status. */
  async countAllImagesByStatus(): Promise<ImageStatusCounts> {
    const groups = await this.db.image.groupBy({ by: ["status"], _count: { _all: true } });
    const counts: ImageStatusCounts = { RECEIVED: 0, PREPROCESSED: 0, CLASSIFIED: 0, FAILED: 0 };
    for (const group of groups) counts[group.status] = group._count._all;
    return counts;
  }

  findImage(imageId: string): Promise<Image | null> {
    return this.db.image.findUnique({ where: { id: imageId } });
  }

  findImageWithLabSettings(imageId: string): Promise<ImageWithLabSettings | null> {
    return this.db.image.findUnique({
      where: { id: imageId },
      include: { lab: { select: { eagerReviewImages: true } } },
    });
  }

  /** Images still received or preprocessed whose row has not changed since `before`, by id, a page after `afterId`. */
  listUnsettledImagesBefore(
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
  markImageFailed(imageId: string, reason: string): Promise<Pick<Image, "labId" | "specimenId">> {
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
  listLabelledImages(filter: LabelledImageFilter): Promise<LabelledImageRow[]> {
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

  findImageInLab(labId: string, imageId: string): Promise<Image | null> {
    return this.db.image.findFirst({ where: { id: imageId, labId } });
  }

  findImageWithLatestPrediction(labId: string, imageId: string): Promise<ImageWithLatestPrediction | null> {
    return this.db.image.findFirst({
      where: { id: imageId, labId },
      include: { predictions: { orderBy: { createdAt: "desc" }, take: 1 } },
    });
  }

  /** The specimen's image of these bytes. */
  findImageBySha(specimenId: string, sha256: string): Promise<Image | null> {
    return this.db.image.findUnique({ where: { specimenId_sha256: { specimenId, sha256 } } });
  }

  /** The specimen's images of any of these bytes. */
  listImagesBySha(specimenId: string, sha256s: string[]): Promise<Pick<Image, "id" | "sha256">[]> {
    return this.db.image.findMany({
      where: { specimenId, sha256: { in: sha256s } },
      select: { id: true, sha256: true },
    });
  }

  /** The lab's images of these bytes, oldest first, each with the active model's prediction if it made one. */
  listLabCopies(labId: string, sha256: string): Promise<ImageWithLatestPrediction[]> {
    return this.db.image.findMany({
      where: { labId, sha256 },
      orderBy: { createdAt: "asc" },
      include: { predictions: { where: { modelVersion: { active: true } }, take: 1 } },
    });
  }

  createImage(image: NewImage): Promise<Image> {
    return this.db.image.create({ data: image });
  }

  /** An image that joins already classified, with a copy of the prediction. Call it in a transaction. */
  async createClassifiedImage(
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

  async deleteImage(imageId: string): Promise<void> {
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
