import { ImageStatus, SpecimenStatus } from "./statuses.js";
import { z } from "zod";
import { StoredSpecimenSummary } from "../specimen-summary.js";

const Count = z.number().int();

/** Where a specimen's images stand: the data of its Server-Sent Events (`progress`, then `completed`). */
export const SpecimenProgress = z.object({
  status: z.enum(SpecimenStatus),
  images: z.object({
    total: Count,
    [ImageStatus.RECEIVED]: Count,
    [ImageStatus.PREPROCESSED]: Count,
    [ImageStatus.CLASSIFIED]: Count,
    [ImageStatus.FAILED]: Count,
  }),
  summary: StoredSpecimenSummary.nullable(),
});
export type SpecimenProgress = z.infer<typeof SpecimenProgress>;

/** An image whose row changed: the data of a specimen stream's `image` event. */
export const ImageChange = z.object({ imageId: z.string(), status: z.enum(ImageStatus) });
export type ImageChange = z.infer<typeof ImageChange>;

/** A specimen's progress on its lab's stream (GET /v1/specimens/events): the data of its `progress` events. */
export const LabSpecimenProgress = SpecimenProgress.extend({ specimenId: z.string() });
export type LabSpecimenProgress = z.infer<typeof LabSpecimenProgress>;

/**
 * What a worker publishes on Redis once it has committed a change to a specimen's images (and its
 * completion, if these were its last): ingest relays it to the specimen's event streams.
 */
export const SpecimenChange = z.object({
  labId: z.string(),
  specimenId: z.string(),
  images: z.array(z.object({ id: z.string(), status: z.enum(ImageStatus) })),
});
export type SpecimenChange = z.infer<typeof SpecimenChange>;

/** The Redis pub/sub channel of one specimen's changes; its lab's are `specimenChangesPattern`. */
export function specimenChangesChannel(prefix: string, labId: string, specimenId: string): string {
  return `${prefix}:changes:lab:${labId}:specimen:${specimenId}`;
}

/** The pattern (PSUBSCRIBE) matching every specimen channel of a lab. */
export function specimenChangesPattern(prefix: string, labId: string): string {
  return specimenChangesChannel(prefix, labId, "*");
}
