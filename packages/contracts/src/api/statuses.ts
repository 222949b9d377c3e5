/**
 * The lifecycle values the API reports. The database's enums (prisma/schema.prisma) hold the same
 * values; packages/shared checks at compile time that the two agree.
 */
export const SpecimenStatus = {
  RECEIVED: "RECEIVED",
  PROCESSING: "PROCESSING",
  COMPLETED: "COMPLETED",
  FAILED: "FAILED",
} as const;
export type SpecimenStatus = (typeof SpecimenStatus)[keyof typeof SpecimenStatus];

export const ImageStatus = {
  RECEIVED: "RECEIVED",
  PREPROCESSED: "PREPROCESSED",
  CLASSIFIED: "CLASSIFIED",
  FAILED: "FAILED",
} as const;
export type ImageStatus = (typeof ImageStatus)[keyof typeof ImageStatus];

export const ReviewDecision = { CONFIRMED: "CONFIRMED", OVERRIDDEN: "OVERRIDDEN" } as const;
export type ReviewDecision = (typeof ReviewDecision)[keyof typeof ReviewDecision];
