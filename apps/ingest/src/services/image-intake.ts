import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import {
  CONTENT_TYPES,
  enqueue,
  ImageStatus,
  Prisma,
  SpecimenStatus,
  type LeukoflowQueue,
  type Logger,
  type ObjectStore,
  type PrismaClient,
} from "@leukoflow/shared";
import { HttpProblem } from "../problem.js";
import { sniffUpload } from "./sniffed-upload.js";

export interface AcceptedImage {
  imageId: string;
  fileName: string;
  sha256: string;
  status: string;
  /** True when the lab had uploaded these exact bytes before; the existing image is returned. */
  duplicate: boolean;
}

export interface ImageIntakeDeps {
  prisma: PrismaClient;
  objectStore: ObjectStore;
  preprocessQueue: LeukoflowQueue<"preprocess">;
  logger: Logger;
}

/** File streams as multipart gives them: `truncated` is set when the size limit cut the file. */
type UploadStream = Readable & { truncated?: boolean };

/**
 * Takes one uploaded file into the pipeline: streams it to object storage while hashing it,
 * records the Image and enqueues its preprocessing. A refused file leaves no row and no object.
 */
export class ImageIntake {
  constructor(private readonly deps: ImageIntakeDeps) {}

  async accept(specimen: { id: string; labId: string }, fileName: string, file: UploadStream): Promise<AcceptedImage> {
    const upload = await sniffUpload(file);
    if (!upload.format) {
      await upload.discard();
      throw new HttpProblem(415, "unsupported-image-format", "Not a supported image", `${fileName} is not JPEG, PNG, TIFF, BMP or WebP`);
    }
    const imageId = randomUUID();
    const objectKey = `labs/${specimen.labId}/images/${imageId}`;
    await this.deps.objectStore.put(objectKey, upload.body, CONTENT_TYPES[upload.format]);
    const { sha256, byteSize } = upload.digest();
    if (file.truncated) {
      await this.deps.objectStore.delete(objectKey);
      throw new HttpProblem(413, "file-too-large", "File too large", `${fileName} exceeds the upload size limit`);
    }
    const existing = await this.findBySha(specimen.labId, sha256);
    if (existing) return this.duplicateOf(existing, objectKey, fileName);
    try {
      await this.deps.prisma.image.create({
        data: {
          id: imageId,
          labId: specimen.labId,
          specimenId: specimen.id,
          sha256,
          originalName: fileName,
          objectKey,
          byteSize,
          format: upload.format,
        },
      });
    } catch (error) {
      const raced = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
      if (!raced) throw error;
      return this.duplicateOf((await this.findBySha(specimen.labId, sha256))!, objectKey, fileName);
    }
    await this.startProcessing(specimen.id, imageId, objectKey);
    return { imageId, fileName, sha256, status: ImageStatus.RECEIVED, duplicate: false };
  }

  private findBySha(labId: string, sha256: string) {
    return this.deps.prisma.image.findUnique({ where: { labId_sha256: { labId, sha256 } } });
  }

  private async duplicateOf(existing: { id: string; sha256: string; status: string }, orphanKey: string, fileName: string) {
    await this.deps.objectStore.delete(orphanKey);
    return { imageId: existing.id, fileName, sha256: existing.sha256, status: existing.status, duplicate: true };
  }

  /** If the job cannot be queued, the upload is undone so the client can simply retry it. */
  private async startProcessing(specimenId: string, imageId: string, objectKey: string): Promise<void> {
    try {
      await enqueue(this.deps.preprocessQueue, "preprocess-image", { v: 1, imageId }, `preprocess-${imageId}`);
    } catch (error) {
      this.deps.logger.error({ err: error, imageId }, "could not enqueue preprocessing; undoing the upload");
      await this.deps.prisma.image.delete({ where: { id: imageId } });
      await this.deps.objectStore.delete(objectKey);
      throw new HttpProblem(503, "queue-unavailable", "Processing queue unavailable", "Retry the upload shortly", {
        retryAfterSeconds: 5,
      });
    }
    await this.deps.prisma.specimen.updateMany({
      where: { id: specimenId, status: { not: SpecimenStatus.PROCESSING } },
      data: { status: SpecimenStatus.PROCESSING, completedAt: null },
    });
  }
}
