import { z } from "zod";
import { Timestamp } from "./api/primitives.js";
import { SpecimenCall } from "./specimen-summary.js";

const Score = z.object({
  label: z.string().describe("The class the image is (or would be) reported as, at that version's own operating point"),
  confidence: z.number(),
  malignantProbability: z.number(),
});

const Thresholds = z.object({ image: z.number(), specimen: z.number() });

/** One image the two versions label differently. */
export const ShadowDisagreement = z.object({
  imageId: z.uuid(),
  specimenId: z.uuid(),
  accession: z.string(),
  lab: z.string().describe("The lab's slug"),
  originalName: z.string().nullable(),
  active: Score,
  candidate: Score,
  malignantCallChanges: z.boolean().describe("One version calls the image malignant and the other does not"),
  reviewedLabel: z
    .string()
    .nullable()
    .describe("The label a technologist settled on (latest review), when the image has been reviewed"),
});
export type ShadowDisagreement = z.infer<typeof ShadowDisagreement>;

/** A specimen whose call would differ had the candidate been active. */
export const ShadowSpecimenChange = z.object({
  specimenId: z.uuid(),
  accession: z.string(),
  lab: z.string(),
  active: z.object({ call: SpecimenCall, meanMalignantProbability: z.number() }),
  candidate: z.object({ call: SpecimenCall, meanMalignantProbability: z.number() }),
});
export type ShadowSpecimenChange = z.infer<typeof ShadowSpecimenChange>;

/**
 * `leukoflow models compare`: a version in shadow against the active one, over the images both scored.
 * Each model's calls are made at its own operating point; the specimen calls are summarizeSpecimen's
 * rule applied to each version's predictions of the same images.
 */
export const ShadowComparison = z.object({
  candidate: z.string().describe("name@version of the version compared (in shadow now or before)"),
  active: z.string().describe("name@version of the active version whose predictions it is compared with"),
  since: Timestamp.nullable(),
  thresholds: z.object({ active: Thresholds, candidate: Thresholds }),
  images: z.number().int().describe("Images with a prediction of the active version and a score of the candidate"),
  agreement: z.object({
    label: z.number().nullable().describe("Share of the images both label alike (four classes); null without images"),
    malignantCall: z.number().nullable().describe("Share of the images both call malignant, or both benign"),
  }),
  classes: z.array(z.string()).describe("The order of the confusion's rows and columns"),
  confusion: z
    .array(z.array(z.number().int()))
    .describe("Images per pair of labels: rows the active version's label, columns the candidate's"),
  malignantCalls: z.object({
    bothMalignant: z.number().int(),
    bothBenign: z.number().int(),
    activeOnly: z.number().int().describe("Called malignant by the active version only"),
    candidateOnly: z.number().int().describe("Called malignant by the candidate only"),
  }),
  specimens: z.object({
    compared: z
      .number()
      .int()
      .describe(
        "Completed specimens whose every classified image both versions scored (shadow sampling is per specimen)",
      ),
    partlyScored: z.number().int().describe("Specimens with some images scored by both, but not all: not compared"),
    callChanged: z.number().int(),
    changes: z.array(ShadowSpecimenChange),
  }),
  reviewedDisagreements: z
    .object({
      images: z.number().int(),
      activeRight: z.number().int(),
      candidateRight: z.number().int(),
      neither: z.number().int(),
    })
    .describe("Disagreeing images a technologist has reviewed since: whose label the review settled on"),
  disagreements: z.array(ShadowDisagreement).describe("Images labelled differently, malignant-call changes first"),
});
export type ShadowComparison = z.infer<typeof ShadowComparison>;
