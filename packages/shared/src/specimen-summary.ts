import { isMalignant } from "./labels.js";

export interface ClassifiedImage {
  label: string;
  confidence: number;
}

export type SpecimenCall = "all_suspected" | "benign" | "indeterminate";

export interface SpecimenSummary {
  imageCount: number;
  classifiedCount: number;
  failedCount: number;
  countsByLabel: Record<string, number>;
  malignantFraction: number;
  /** Most frequent ALL subtype among malignant images, when the call is all_suspected. */
  dominantSubtype: string | null;
  call: SpecimenCall;
}

/** A specimen is called ALL-suspected when at least this share of its classified images is malignant. */
export const MALIGNANT_FRACTION_THRESHOLD = 0.5;

export function summarizeSpecimen(classified: ClassifiedImage[], failedCount: number): SpecimenSummary {
  const countsByLabel: Record<string, number> = {};
  for (const image of classified) countsByLabel[image.label] = (countsByLabel[image.label] ?? 0) + 1;
  const malignantCount = classified.filter((image) => isMalignant(image.label)).length;
  const malignantFraction = classified.length === 0 ? 0 : malignantCount / classified.length;
  const call: SpecimenCall =
    classified.length === 0 ? "indeterminate" : malignantFraction >= MALIGNANT_FRACTION_THRESHOLD ? "all_suspected" : "benign";
  const subtypes = Object.entries(countsByLabel).filter(([label]) => isMalignant(label));
  subtypes.sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
  return {
    imageCount: classified.length + failedCount,
    classifiedCount: classified.length,
    failedCount,
    countsByLabel,
    malignantFraction,
    dominantSubtype: call === "all_suspected" ? (subtypes[0]?.[0] ?? null) : null,
    call,
  };
}
