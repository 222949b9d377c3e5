import type { ReportImage, SpecimenReport, SpecimenSummary } from "../api/types.js";
import { percent } from "./labels.js";

/** Below this confidence an image's prediction is flagged for a closer look. */
export const LOW_CONFIDENCE = 0.6;

export interface Flag {
  id: string;
  text: string;
}

export function isLowConfidence(image: ReportImage): boolean {
  return image.prediction !== null && image.prediction.confidence < LOW_CONFIDENCE;
}

/** What the summary alone says needs a reviewer's attention (the specimens list has no more). */
export function summaryFlags(summary: SpecimenSummary | null): Flag[] {
  if (!summary) return [];
  const flags: Flag[] = [];
  if (summary.failedCount > 0) flags.push({ id: "failed", text: `${summary.failedCount} image(s) failed` });
  if (summary.call === "indeterminate") flags.push({ id: "indeterminate", text: "Indeterminate: review every image" });
  return flags;
}

/** The report's review flags: the summary's, plus what its images show. */
export function reportFlags(report: SpecimenReport): Flag[] {
  const classified = report.images.filter((image) => image.prediction);
  const low = classified.filter(isLowConfidence).length;
  const unreviewed = classified.filter((image) => !image.review).length;
  const overridden = classified.filter((image) => image.review?.decision === "OVERRIDDEN").length;
  const flags = summaryFlags(report.summary);
  if (low > 0) flags.push({ id: "low-confidence", text: `${low} image(s) below ${percent(LOW_CONFIDENCE)} confidence` });
  if (overridden > 0) flags.push({ id: "overridden", text: `${overridden} label(s) overridden by review` });
  if (unreviewed > 0) flags.push({ id: "unreviewed", text: `${unreviewed} of ${classified.length} classified image(s) not reviewed` });
  return flags;
}

/** The label a report stands by for an image: the reviewer's when reviewed, else the model's. */
export function finalLabel(image: ReportImage): string | null {
  return image.review?.label ?? image.prediction?.label ?? null;
}
