import type { SpecimenReport } from "../api/types.js";

/** RFC 4180 quoting; a leading =, +, - or @ is neutralised so spreadsheets never run a cell as a formula. */
function cell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  const safe = typeof value === "string" && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report as CSV: one row per image with its prediction, class probabilities and latest review. */
export function reportCsv(report: SpecimenReport): string {
  const classes = [
    ...new Set(report.images.flatMap((image) => Object.keys(image.prediction?.probabilities ?? {}))),
  ].sort();
  const header = [
    "accession",
    "image_id",
    "file_name",
    "sha256",
    "status",
    "failure_reason",
    "predicted_label",
    "confidence",
    "p_malignant",
    "malignant_threshold",
    ...classes.map((label) => `p_${label}`),
    "model",
    "review_decision",
    "reviewed_label",
    "review_reason",
    "reviewer",
    "reviewed_at",
  ];
  const rows = report.images.map(({ prediction, review, ...image }) => [
    report.accession,
    image.id,
    image.originalName,
    image.sha256,
    image.status,
    image.failureReason,
    prediction?.label,
    prediction?.confidence,
    prediction?.malignantProbability,
    prediction?.malignantThreshold,
    ...classes.map((label) => prediction?.probabilities[label]),
    prediction?.model,
    review?.decision,
    review?.label,
    review?.reason,
    review?.reviewer,
    review?.createdAt,
  ]);
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
