import { z } from "zod";

export const SpecimenCall = z.enum(["all_suspected", "benign", "indeterminate"]);
export type SpecimenCall = z.infer<typeof SpecimenCall>;

/** What summarizeSpecimen (packages/shared) writes when a specimen completes. */
export const SpecimenSummary = z.object({
  imageCount: z.number().int(),
  classifiedCount: z.number().int(),
  failedCount: z.number().int(),
  countsByLabel: z.record(z.string(), z.number().int()),
  malignantFraction: z.number().describe("Share of the classified images called malignant"),
  meanMalignantProbability: z
    .number()
    .describe("Mean P(malignant) of the classified images: the specimen rule's score"),
  thresholds: z
    .object({ image: z.number(), specimen: z.number() })
    .describe(
      "The operating point the calls were made at: an image is malignant when P(malignant) ≥ image, the specimen when its mean P(malignant) ≥ specimen",
    ),
  malignantClasses: z
    .array(z.string())
    .describe("The classes the model version that made the calls counts as malignant (its P(malignant) is their sum)"),
  dominantSubtype: z
    .string()
    .nullable()
    .describe("Most frequent ALL subtype among the malignant images, when the call is all_suspected"),
  call: SpecimenCall,
  flaggedImages: z
    .record(z.string(), z.number().int())
    .describe("Classified images per review flag; any flagged image puts the specimen up for review"),
  reviewReasons: z
    .array(z.string())
    .describe("The review flags present, most frequent first; empty when nothing asks for review"),
});
export type SpecimenSummary = z.infer<typeof SpecimenSummary>;

/** A summary as stored: those written before review flags, operating points or malignant classes lack the fields that came with them. */
export const StoredSpecimenSummary = SpecimenSummary.partial({
  meanMalignantProbability: true,
  thresholds: true,
  malignantClasses: true,
  flaggedImages: true,
  reviewReasons: true,
});
export type StoredSpecimenSummary = z.infer<typeof StoredSpecimenSummary>;
