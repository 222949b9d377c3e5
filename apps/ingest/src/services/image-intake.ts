import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import {
  CONTENT_TYPES,
  enqueue,
  ImageStatus,
  imageJobIds,
  Prisma,
  SpecimenStatus,
  type ImageFormat,
  type LeukoflowQueue,
  type Logger,
  type ObjectStore,
  type PrismaClient,
} from "@leukoflow/shared";
import { HttpProblem, problems } from "../problem.js";
import type { AcceptedImage } from "@leukoflow/contracts";
import { readDimensions, type Dimensions } from "./image-dimensions.js";
import { imageObjectKey } from "./object-keys.js";
import { sniffUpload, type SniffedUpload } from "./sniffed-upload.js";

export interface ImageIntakeDeps {
  prisma: PrismaClient;
  objectStore: ObjectStore;
  preprocessQueue: LeukoflowQueue<"preprocess">;
  logger: Logger;
  maxImagePixels: number;
}

/** File streams as multipart gives them: `truncated` is set when the size limit cut the file. */
type UploadStream = Readable & { truncated?: boolean };

interface IntakeSpecimen {
  id: string;
  labId: string;
}

/** A direct upload the client has PUT to storage and declared the size and hash of. */
export interface StoredUpload {
  id: string;
  fileName: string;
  objectKey: string;
  sha256: string;
  byteSize: number;
}

interface Inspected extends Partial<Dimensions> {
  format: ImageFormat;
}

/**
 * Takes uploaded files into the pipeline: checks what they are from their first bytes, stores and
 * hashes them, records the Image (or returns the lab's existing one for the same bytes) and enqueues
 * its preprocessing. A refused file leaves no row and no object.
 */
export class ImageIntake {
  constructor(private readonly deps: ImageIntakeDeps) {}

  /** A file arriving in a request, streamed to storage as it is read. */
  async accept(specimen: IntakeSpecimen, fileName: string, file: UploadStream): Promise<AcceptedImage> {
    const upload = await sniffUpload(file);
    const inspected = await this.inspect(fileName, upload).catch(async (error: unknown) => {
      await upload.discard();
      throw error;
    });
    const imageId = randomUUID();
    const objectKey = imageObjectKey(specimen.labId, imageId);
    await this.deps.objectStore.put(objectKey, upload.body, CONTENT_TYPES[inspected.format]);
    const { sha256, byteSize } = upload.digest();
    if (file.truncated) {
      await this.deps.objectStore.delete(objectKey);
      throw problems.fileTooLarge(fileName);
    }
    return this.record(specimen, { id: imageId, fileName, objectKey, sha256, byteSize, ...inspected }, { discardObjectIfNotRecorded: true });
  }

  /** A file the client already PUT to storage: read back, checked and hashed before it is accepted. */
  async adopt(specimen: IntakeSpecimen, stored: StoredUpload): Promise<AcceptedImage> {
    const reject = async (problem: unknown): Promise<never> => {
      await this.deps.objectStore.delete(stored.objectKey);
      throw problem;
    };
    const upload = await sniffUpload(await this.deps.objectStore.openRead(stored.objectKey));
    const inspected = await this.inspect(stored.fileName, upload).catch(async (error: unknown) => {
      await upload.discard();
      return reject(error);
    });
    for await (const chunk of upload.body) void chunk;
    const { sha256, byteSize } = upload.digest();
    if (byteSize !== stored.byteSize) return reject(problems.sizeMismatch(stored.byteSize, byteSize));
    if (sha256 !== stored.sha256) {
      return reject(
        new HttpProblem(422, "upload-checksum-mismatch", "Stored object differs from the declared file", `sha256 of the stored object is ${sha256}`),
      );
    }
    return this.record(specimen, { id: stored.id, fileName: stored.fileName, objectKey: stored.objectKey, sha256, byteSize, ...inspected });
  }

  private async inspect(fileName: string, upload: SniffedUpload): Promise<Inspected> {
    if (!upload.format) {
      throw new HttpProblem(415, "unsupported-image-format", "Not a supported image", `${fileName} is not JPEG, PNG, TIFF, BMP or WebP`);
    }
    const dimensions = await readDimensions(upload.format, upload.head);
    if (dimensions && dimensions.width * dimensions.height > this.deps.maxImagePixels) {
      throw new HttpProblem(
        413,
        "too-many-pixels",
        "Image has too many pixels",
        `${fileName} is ${dimensions.width}×${dimensions.height}; the limit is ${this.deps.maxImagePixels} pixels`,
      );
    }
    return { format: upload.format, ...dimensions };
  }

  private async record(
    specimen: IntakeSpecimen,
    image: Inspected & { id: string; fileName: string; objectKey: string; sha256: string; byteSize: number },
    { discardObjectIfNotRecorded = false } = {},
  ): Promise<AcceptedImage> {
    const existing = await this.findBySha(specimen.labId, image.sha256);
    if (existing) return this.duplicateOf(existing, image.objectKey, image.fileName);
    try {
      await this.deps.prisma.image.create({
        data: {
          id: image.id,
          labId: specimen.labId,
          specimenId: specimen.id,
          sha256: image.sha256,
          originalName: image.fileName,
          objectKey: image.objectKey,
          byteSize: image.byteSize,
          format: image.format,
          width: image.width ?? null,
          height: image.height ?? null,
        },
      });
    } catch (error) {
      const raced = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
      if (!raced) {
        // A direct upload's object stays for DirectUploads to give back; a streamed one has no other owner.
        if (discardObjectIfNotRecorded) await this.deps.objectStore.delete(image.objectKey).catch(() => undefined);
        throw error;
      }
      return this.duplicateOf((await this.findBySha(specimen.labId, image.sha256))!, image.objectKey, image.fileName);
    }
    await this.startProcessing(specimen.id, image.id, discardObjectIfNotRecorded ? image.objectKey : null);
    return { imageId: image.id, fileName: image.fileName, sha256: image.sha256, status: ImageStatus.RECEIVED, duplicate: false };
  }

  private findBySha(labId: string, sha256: string) {
    return this.deps.prisma.image.findUnique({ where: { labId_sha256: { labId, sha256 } } });
  }

  private async duplicateOf(existing: { id: string; sha256: string; status: string }, orphanKey: string, fileName: string) {
    await this.deps.objectStore.delete(orphanKey);
    return { imageId: existing.id, fileName, sha256: existing.sha256, status: existing.status, duplicate: true };
  }

  /** If the job cannot be queued, the upload is undone (its object too, when given) so the client can simply retry it. */
  private async startProcessing(specimenId: string, imageId: string, objectKeyToDiscard: string | null): Promise<void> {
    try {
      await enqueue(this.deps.preprocessQueue, "preprocess-image", { v: 1, imageId }, imageJobIds({ id: imageId, round: 0 }).preprocess);
    } catch (error) {
      this.deps.logger.error({ err: error, imageId }, "could not enqueue preprocessing; undoing the upload");
      await this.deps.prisma.image.delete({ where: { id: imageId } });
      if (objectKeyToDiscard) await this.deps.objectStore.delete(objectKeyToDiscard);
      throw new HttpProblem(503, "queue-unavailable", "Processing queue unavailable", "Retry the upload shortly", {
        retryAfterSeconds: 5,
      });
    }
    // A specimen that gets new images is in progress again, and will notify its completion again.
    await this.deps.prisma.specimen.updateMany({
      where: { id: specimenId, status: { not: SpecimenStatus.PROCESSING } },
      data: { status: SpecimenStatus.PROCESSING, completedAt: null, completionNotifiedAt: null },
    });
  }
}
