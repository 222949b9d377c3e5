import { randomUUID } from "node:crypto";
import type { Database, DirectUpload, Logger, ObjectStore } from "@leukoflow/shared";
import { HttpProblem, problems } from "../problem.js";
import {
  directUploadObjectKey,
  imageObjectKey,
  type AcceptedImage,
  type DirectUploadTicket,
} from "@leukoflow/contracts";
import { safeFileName } from "./file-name.js";
import type { ImageIntake } from "./image-intake.js";

export interface DirectUploadsDeps {
  db: Database;
  objectStore: ObjectStore;
  intake: ImageIntake;
  maxUploadBytes: number;
  ttlSeconds: number;
  logger: Logger;
}

export interface DeclaredFile {
  fileName: string;
  byteSize: number;
  sha256: string;
}

/**
 * Direct-to-storage uploads: the client declares each file's size and sha256, PUTs the bytes to a
 * presigned URL, then completes; only an object matching its declaration becomes an Image.
 */
export class DirectUploads {
  constructor(private readonly deps: DirectUploadsDeps) {}

  /**
   * One ticket per file: a presigned PUT, or an image without an upload when the lab already has
   * those bytes (the specimen's own, or a new one of this specimen sharing the stored object).
   */
  async request(specimen: { id: string; labId: string }, files: DeclaredFile[]): Promise<DirectUploadTicket[]> {
    const tooLarge = files.find((file) => file.byteSize > this.deps.maxUploadBytes);
    if (tooLarge) throw problems.fileTooLarge(tooLarge.fileName);
    const existing = await this.deps.db.images.listBySha(
      specimen.id,
      files.map((file) => file.sha256),
    );
    const existingBySha = new Map(existing.map((image) => [image.sha256, image.id]));
    const expiresAt = new Date(Date.now() + this.deps.ttlSeconds * 1000);
    return Promise.all(
      files.map(async (declared): Promise<DirectUploadTicket> => {
        const file = { ...declared, fileName: safeFileName(declared.fileName) };
        const imageId =
          existingBySha.get(file.sha256) ??
          (await this.deps.intake.repeat(specimen, file.fileName, file.sha256))?.imageId;
        if (imageId) return { status: "duplicate", imageId, fileName: file.fileName, sha256: file.sha256 };
        const id = randomUUID();
        const objectKey = directUploadObjectKey(specimen.labId, id);
        await this.deps.db.images.createDirectUpload({
          id,
          labId: specimen.labId,
          specimenId: specimen.id,
          objectKey,
          expiresAt,
          ...file,
        });
        const url = await this.deps.objectStore.presignPut(objectKey, file.byteSize, this.deps.ttlSeconds);
        return {
          status: "pending",
          uploadId: id,
          fileName: file.fileName,
          sha256: file.sha256,
          method: "PUT",
          url,
          expiresAt: expiresAt.toISOString(),
        };
      }),
    );
  }

  /**
   * Copies the stored object to the image's key, verifies the copy and accepts it; completing an
   * upload again returns its image. The client still holds a URL for the upload key, so only the
   * copy, at a key it never had a URL for, is ever verified and read.
   */
  async complete(labId: string, uploadId: string): Promise<AcceptedImage> {
    const pending = await this.deps.db.images.findDirectUpload(labId, uploadId);
    if (!pending) return this.completedBefore(labId, uploadId);
    if (pending.expiresAt < new Date()) {
      await this.discard(pending);
      throw new HttpProblem(410, "upload-expired", "Upload expired", "Request a new upload URL");
    }
    const stored = await this.deps.objectStore.head(pending.objectKey);
    if (!stored)
      throw new HttpProblem(
        409,
        "upload-not-received",
        "Nothing was uploaded yet",
        "PUT the file to its URL, then complete",
      );
    // Deleting the row claims the upload, so two concurrent completes cannot both adopt it.
    if (!(await this.deps.db.images.deleteDirectUpload(pending.id)))
      throw new HttpProblem(409, "upload-completing", "This upload is being completed by another request");
    if (stored.size !== pending.byteSize) {
      await this.deps.objectStore.delete(pending.objectKey);
      throw problems.sizeMismatch(pending.byteSize, stored.size);
    }
    const imageKey = imageObjectKey(labId, pending.id);
    try {
      // Uploads requested before upload keys had a prefix of their own were PUT to the image key itself.
      if (pending.objectKey !== imageKey) await this.deps.objectStore.copy(pending.objectKey, imageKey);
      const accepted = await this.deps.intake.adopt(
        { id: pending.specimenId, labId },
        { ...pending, objectKey: imageKey },
      );
      if (pending.objectKey !== imageKey) await this.deps.objectStore.delete(pending.objectKey);
      return accepted;
    } catch (error) {
      // A dependency failed after the claim: give the upload back (its object kept), so that completing it again succeeds.
      if (!(error instanceof HttpProblem) || error.status >= 500) await this.giveBack(pending);
      else await this.deps.objectStore.delete(pending.objectKey);
      throw error;
    }
  }

  /** Best effort: while Postgres itself is down the row cannot be written back, and the upload must be requested again. */
  private async giveBack(pending: DirectUpload): Promise<void> {
    await this.deps.db.images.createDirectUpload(pending).catch((error: unknown) => {
      this.deps.logger.error(
        { err: error, uploadId: pending.id },
        "could not give back a direct upload whose completion failed",
      );
    });
  }

  private async completedBefore(labId: string, uploadId: string): Promise<AcceptedImage> {
    const image = await this.deps.db.images.findInLab(labId, uploadId);
    if (!image) throw problems.notFound("Upload");
    return {
      imageId: image.id,
      fileName: image.originalName ?? "",
      sha256: image.sha256,
      status: image.status,
      duplicate: false,
    };
  }

  private async discard(pending: { id: string; objectKey: string }): Promise<void> {
    await this.deps.objectStore.delete(pending.objectKey);
    await this.deps.db.images.deleteDirectUpload(pending.id);
  }
}
