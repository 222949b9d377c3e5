import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import {
  completeSpecimenIfSettled,
  CONTENT_TYPES,
  enqueue,
  ImageStatus,
  imageJobIds,
  isUniqueViolation,
  type Database,
  type ImageFormat,
  type LeukoflowQueue,
  type Logger,
  type NewImage as NewImageRow,
  type ObjectStore,
  type SpecimenChangePublisher,
} from "@leukoflow/shared";
import { HttpProblem, problems } from "../problem.js";
import { imageObjectKey, type AcceptedImage } from "@leukoflow/contracts";
import { readDimensions, type Dimensions } from "./image-dimensions.js";
import { findLabCopies, type LabCopies, type StoredCopy } from "./stored-copy.js";
import { sniffUpload, type SniffedUpload } from "./sniffed-upload.js";

export interface ImageIntakeDeps {
  db: Database;
  objectStore: ObjectStore;
  preprocessQueue: LeukoflowQueue<"preprocess">;
  changes: SpecimenChangePublisher;
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

interface NewImage extends Inspected {
  id: string;
  fileName: string;
  sha256: string;
  byteSize: number;
}

/**
 * Takes uploaded files into the pipeline: checks what they are from their first bytes, stores and
 * hashes them, records the Image (or returns the specimen's existing one for the same bytes) and
 * enqueues its preprocessing. A refused file leaves no row and no object.
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
    return this.record(
      specimen,
      { id: imageId, fileName, sha256, byteSize, ...inspected },
      { key: objectKey, discardOnFailure: true },
      await this.labCopies(specimen, sha256),
    );
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
        new HttpProblem(
          422,
          "upload-checksum-mismatch",
          "Stored object differs from the declared file",
          `sha256 of the stored object is ${sha256}`,
        ),
      );
    }
    return this.record(
      specimen,
      { id: stored.id, fileName: stored.fileName, sha256, byteSize, ...inspected },
      { key: stored.objectKey, discardOnFailure: false },
      await this.labCopies(specimen, sha256),
    );
  }

  /** Bytes the lab holds in another specimen, declared for this one: they join it without an upload; null when the lab has no such bytes. */
  async repeat(specimen: IntakeSpecimen, fileName: string, sha256: string): Promise<AcceptedImage | null> {
    const copies = await this.labCopies(specimen, sha256);
    if (copies.inSpecimen) return this.duplicateOf(copies.inSpecimen, undefined, fileName);
    if (!copies.stored) return null;
    const { byteSize, width, height } = copies.stored;
    const inspected = {
      format: copies.stored.format as ImageFormat,
      ...(width !== null && height !== null ? { width, height } : {}),
    };
    return this.record(specimen, { id: randomUUID(), fileName, sha256, byteSize, ...inspected }, null, copies);
  }

  private async inspect(fileName: string, upload: SniffedUpload): Promise<Inspected> {
    if (!upload.format) {
      throw new HttpProblem(
        415,
        "unsupported-image-format",
        "Not a supported image",
        `${fileName} is not JPEG, PNG, TIFF, BMP or WebP`,
      );
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

  /**
   * Records the image, or returns this specimen's image of the same bytes. `upload` is where this
   * request stored the bytes (null: they are stored already); a streamed upload's object has no
   * other owner, so it is discarded when no row is written. Bytes the lab holds already keep their
   * one object, and the active model's classification of them when there is one (`copies`).
   */
  private async record(
    specimen: IntakeSpecimen,
    image: NewImage,
    upload: { key: string; discardOnFailure: boolean } | null,
    copies: LabCopies,
  ): Promise<AcceptedImage> {
    if (copies.inSpecimen) return this.duplicateOf(copies.inSpecimen, upload?.key, image.fileName);
    const copy = copies.stored;
    const data = {
      id: image.id,
      labId: specimen.labId,
      specimenId: specimen.id,
      sha256: image.sha256,
      originalName: image.fileName,
      objectKey: copy?.objectKey ?? upload!.key,
      byteSize: image.byteSize,
      format: image.format,
      width: image.width ?? null,
      height: image.height ?? null,
    };
    const classified = copy?.classified;
    try {
      if (classified) await this.recordClassified(specimen.id, data, classified);
      else await this.deps.db.images.create(data);
    } catch (error) {
      if (!isUniqueViolation(error)) {
        // A direct upload's object stays for DirectUploads to give back; a streamed one has no other owner.
        if (upload?.discardOnFailure) await this.deps.objectStore.delete(upload.key).catch(() => undefined);
        throw error;
      }
      const existing = await this.deps.db.images.findBySha(specimen.id, image.sha256);
      return this.duplicateOf(existing!, upload?.key, image.fileName);
    }
    if (copy && upload) await this.deps.objectStore.delete(upload.key);
    if (!classified)
      await this.startProcessing(specimen.id, image.id, upload?.discardOnFailure && !copy ? upload.key : null);
    // A reused classification may have completed the specimen; either way its streams count one image more.
    const status = classified ? ImageStatus.CLASSIFIED : ImageStatus.RECEIVED;
    await this.deps.changes.publishImages(
      [{ labId: specimen.labId, specimenId: specimen.id, imageId: image.id }],
      status,
    );
    return { imageId: image.id, fileName: image.fileName, sha256: image.sha256, duplicate: false, status };
  }

  private labCopies(specimen: IntakeSpecimen, sha256: string): Promise<LabCopies> {
    return findLabCopies(this.deps.db, specimen.labId, sha256, specimen.id);
  }

  /** An image whose classification is reused joins its specimen settled; the specimen completes again with it. */
  private async recordClassified(
    specimenId: string,
    image: NewImageRow & { id: string },
    classified: NonNullable<StoredCopy["classified"]>,
  ) {
    await this.deps.db.transaction(async (tx) => {
      await tx.specimens.lock(specimenId);
      await tx.images.createClassified(image, classified.image, classified.prediction);
      await tx.specimens.reopen(specimenId);
      await completeSpecimenIfSettled(tx, specimenId);
    });
  }

  private async duplicateOf(
    existing: { id: string; sha256: string; status: string },
    orphanKey: string | undefined,
    fileName: string,
  ) {
    if (orphanKey) await this.deps.objectStore.delete(orphanKey);
    return { imageId: existing.id, fileName, sha256: existing.sha256, status: existing.status, duplicate: true };
  }

  /** If the job cannot be queued, the upload is undone (its object too, when given) so the client can simply retry it. */
  private async startProcessing(specimenId: string, imageId: string, objectKeyToDiscard: string | null): Promise<void> {
    try {
      await enqueue(
        this.deps.preprocessQueue,
        "preprocess-image",
        { v: 1, imageId },
        imageJobIds({ id: imageId, round: 0 }).preprocess,
      );
    } catch (error) {
      this.deps.logger.error({ err: error, imageId }, "could not enqueue preprocessing; undoing the upload");
      await this.deps.db.images.delete(imageId);
      if (objectKeyToDiscard) await this.deps.objectStore.delete(objectKeyToDiscard);
      throw new HttpProblem(503, "queue-unavailable", "Processing queue unavailable", "Retry the upload shortly", {
        retryAfterSeconds: 5,
      });
    }
    await this.deps.db.specimens.reopen(specimenId);
  }
}
