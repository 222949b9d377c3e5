import { ImageStatus, SpecimenStatus } from "@leukoflow/shared/enums";
import { z } from "zod";
import { SpecimenSummary } from "./specimens.js";

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
  summary: SpecimenSummary.nullable(),
});
export type SpecimenProgress = z.infer<typeof SpecimenProgress>;
