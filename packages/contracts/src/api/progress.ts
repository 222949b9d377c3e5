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
