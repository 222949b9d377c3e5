import {
  isMalignantCall,
  isMalignantClass,
  malignantFraction,
  specimenMalignantScore,
  type MalignancyRule,
  type SpecimenCall,
  type SpecimenSummary,
} from "@leukoflow/contracts";

export interface ClassifiedImage {
  label: string;
  confidence: number;
  /** Sum of the malignant classes' probabilities. */
  malignantProbability: number;
  /** Review flags the inference worker set on the prediction (low_confidence, ensemble_disagreement, out_of_distribution). */
  flags?: readonly string[];
}

/** The specimen's verdict under the rule of the model version that called it. */
export function summarizeSpecimen(
  classified: ClassifiedImage[],
  failedCount: number,
  { malignantClasses, thresholds }: MalignancyRule,
): SpecimenSummary {
  const countsByLabel: Record<string, number> = {};
  for (const image of classified) countsByLabel[image.label] = (countsByLabel[image.label] ?? 0) + 1;
  const meanMalignantProbability = specimenMalignantScore(classified.map((image) => image.malignantProbability));
  const call: SpecimenCall =
    classified.length === 0
      ? "indeterminate"
      : isMalignantCall(meanMalignantProbability, thresholds.specimen)
        ? "all_suspected"
        : "benign";
  const flaggedImages: Record<string, number> = {};
  for (const flag of classified.flatMap((image) => image.flags ?? []))
    flaggedImages[flag] = (flaggedImages[flag] ?? 0) + 1;
  const reviewReasons = Object.entries(flaggedImages)
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([flag]) => flag);
  const subtypes = Object.entries(countsByLabel).filter(([label]) => isMalignantClass(label, malignantClasses));
  subtypes.sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
  return {
    imageCount: classified.length + failedCount,
    classifiedCount: classified.length,
    failedCount,
    countsByLabel,
    malignantFraction: malignantFraction(
      classified.map((image) => image.label),
      malignantClasses,
    ),
    meanMalignantProbability,
    thresholds,
    malignantClasses: [...malignantClasses],
    dominantSubtype: call === "all_suspected" ? (subtypes[0]?.[0] ?? null) : null,
    call,
    flaggedImages,
    reviewReasons,
  };
}
