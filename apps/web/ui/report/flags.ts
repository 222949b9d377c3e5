import { LOW_CONFIDENCE_THRESHOLD, malignantFraction } from "@leukoflow/contracts";
import type { ReportImage, SpecimenReport, SpecimenSummary } from "../api/types.js";

export interface Flag {
  id: string;
  text: string;
}

const FLAG_TEXT: Record<string, string> = {
  low_confidence: "Low confidence",
  out_of_distribution: "Unlike the training images",
  ensemble_disagreement: "Models disagree",
};

export function flagText(flag: string): string {
  return FLAG_TEXT[flag] ?? flag.replaceAll("_", " ");
}

/** An image's flags: those the worker raised, plus low confidence by this app's own threshold. */
export function imageFlags(image: ReportImage): string[] {
  const { prediction } = image;
  if (!prediction) return [];
  const low = prediction.confidence < LOW_CONFIDENCE_THRESHOLD ? ["low_confidence"] : [];
  return [...new Set([...(prediction.flags ?? []), ...low])];
}

/** What the summary itself says needs a reviewer's attention. */
function summaryFlags(summary: SpecimenSummary | null): Flag[] {
  if (!summary) return [];
  const flags: Flag[] = [];
  if (summary.failedCount > 0) flags.push({ id: "failed", text: `${summary.failedCount} image(s) failed` });
  if (summary.call === "indeterminate") flags.push({ id: "indeterminate", text: "Indeterminate: review every image" });
  return flags;
}

/** The summary's flags with the worker's per-image flag counts: all the specimens list can show. */
export function listFlags(summary: SpecimenSummary | null): Flag[] {
  const counted = Object.entries(summary?.flaggedImages ?? {}).map(([flag, count]) => ({
    id: flag,
    text: `${count} image(s): ${flagText(flag)}`,
  }));
  return [...summaryFlags(summary), ...counted];
}

/** The report's review flags: the summary's, plus what its images show. */
export function reportFlags(report: SpecimenReport): Flag[] {
  const classified = report.images.filter((image) => image.prediction);
  const flagged = new Map<string, number>();
  for (const flag of classified.flatMap(imageFlags)) flagged.set(flag, (flagged.get(flag) ?? 0) + 1);
  const unreviewed = classified.filter((image) => !image.review).length;
  const overridden = classified.filter((image) => image.review?.decision === "OVERRIDDEN").length;
  const flags = summaryFlags(report.summary);
  for (const [flag, count] of flagged) flags.push({ id: flag, text: `${count} image(s) flagged: ${flagText(flag)}` });
  if (overridden > 0) flags.push({ id: "overridden", text: `${overridden} label(s) overridden by review` });
  if (unreviewed > 0)
    flags.push({ id: "unreviewed", text: `${unreviewed} of ${classified.length} classified image(s) not reviewed` });
  return flags;
}

/** The label a report stands by for an image: the reviewer's when reviewed, else the model's. */
export function finalLabel(image: ReportImage): string | null {
  return image.review?.label ?? image.prediction?.label ?? null;
}

/** The malignant fraction of the classified images as reviewed: a technologist's label replaces the model's. */
export function reviewedMalignantFraction(report: SpecimenReport, malignantClasses: readonly string[]): number {
  const labels = report.images.map(finalLabel).filter((label) => label !== null);
  return malignantFraction(labels, malignantClasses);
}
