import {
  ImageStatus,
  SpecimenStatus,
  type Image,
  type Lab,
  type ModelVersion,
  type Prediction,
  type Specimen,
} from "../database.js";
import type { Prisma } from "../prisma.js";
import type { DbClient } from "./database.js";
import { reviewContext, type ReviewWithContext } from "./image-repository.js";

export type NewSpecimen = Pick<Prisma.SpecimenUncheckedCreateInput, "labId" | "accession" | "patientRef">;

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

/** Specimens: registering and listing them, their completion, and handing completions on (ImageRepository has their images). */
export class SpecimenRepository {
  constructor(private readonly db: DbClient) {}

  create(specimen: NewSpecimen): Promise<Specimen> {
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
}
