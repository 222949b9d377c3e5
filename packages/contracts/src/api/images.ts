import { z } from "zod";
import { Sha256, Timestamp } from "./primitives.js";

export const AcceptedImage = z.object({
  imageId: z.uuid(),
  fileName: z.string(),
  sha256: Sha256,
  status: z.string(),
  duplicate: z.boolean().describe("The lab had uploaded these exact bytes before; the existing image is returned"),
});
export type AcceptedImage = z.infer<typeof AcceptedImage>;

export const RejectedFile = z.object({
  fileName: z.string(),
  status: z.number().int(),
  type: z.string(),
  detail: z.string(),
});
export type RejectedFile = z.infer<typeof RejectedFile>;

export const MultipartUploadResult = z.object({ accepted: z.array(AcceptedImage), rejected: z.array(RejectedFile) });
export type MultipartUploadResult = z.infer<typeof MultipartUploadResult>;

export const DirectUploadRequest = z.object({
  files: z
    .array(
      z.object({
        fileName: z.string().min(1).max(255),
        byteSize: z.number().int().positive(),
        sha256: Sha256,
      }),
    )
    .min(1),
});

export const DirectUploadTicket = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("pending"),
    uploadId: z.uuid(),
    fileName: z.string(),
    sha256: Sha256,
    method: z.literal("PUT"),
    url: z.url().describe("PUT exactly byteSize bytes here, then POST /v1/uploads/{uploadId}/complete"),
    expiresAt: Timestamp,
  }),
  z.object({
    status: z.literal("duplicate"),
    imageId: z.uuid(),
    fileName: z.string(),
    sha256: Sha256,
  }),
]);
export type DirectUploadTicket = z.infer<typeof DirectUploadTicket>;

export const DirectUploadTickets = z.object({ uploads: z.array(DirectUploadTicket) });
export const UploadParams = z.object({ uploadId: z.uuid() });
