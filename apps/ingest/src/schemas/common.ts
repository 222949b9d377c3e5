import { z } from "zod";

export const SpecimenParams = z.object({ specimenId: z.uuid() });

/** RFC 9457 problem details; `type` is stable for clients to switch on, extensions vary by type. */
export const Problem = z
  .looseObject({
    type: z.url(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string(),
  })
  .meta({ id: "Problem" });

/** Every route answers its errors as problem+json. */
export const problemResponses = { "4xx": Problem, "5xx": Problem };

export const NoContent = z.null().describe("No content");
