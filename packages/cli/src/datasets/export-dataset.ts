import { randomUUID } from "node:crypto";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { CHANGE_ACTIONS, recordChange, type ChangeAuthor } from "@leukoflow/model-registry";
import type { Database, ImageFormat, LabelledImageFilter, ObjectStore } from "@leukoflow/shared";
import { findLabelledImages, type LabelledImage } from "./labelled-images.js";

export const MANIFEST_FILE = "manifest.csv";

const EXTENSIONS: Record<ImageFormat, string> = { jpeg: ".jpg", png: ".png", tiff: ".tif", bmp: ".bmp", webp: ".webp" };

/** The first three columns are those of the datasets' own manifests (file, label, sha256). */
const COLUMNS = [
  "file",
  "label",
  "sha256",
  "image_id",
  "original_name",
  "lab",
  "specimen",
  "model",
  "model_label",
  "model_confidence",
  "review_decision",
  "reviewer",
  "reason",
  "labelled_at",
];

function csvCell(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Train reads a file's last number as its place in the smear order, so files are numbered in
 * specimen order across the export; the accession in front is for people.
 */
function fileName(image: LabelledImage, index: number): string {
  const accession = image.specimen.replace(/[^A-Za-z0-9]+/g, "_").slice(0, 40);
  return `${accession}-${String(index + 1).padStart(6, "0")}${EXTENSIONS[image.format ?? "jpeg"]}`;
}

export interface DatasetExport {
  id: string;
  dir: string;
  images: number;
  perLabel: Record<string, number>;
}

/**
 * `leukoflow datasets export`: the original images of classified (or only reviewed) images, one
 * folder per label, with manifest.csv saying where each came from; `leukoflow train` reads the
 * folder as it reads the datasets. The export is recorded (who, why, what) in the change history.
 */
export async function exportDataset(
  deps: { db: Database; objectStore: ObjectStore },
  dir: string,
  filter: LabelledImageFilter,
  author: ChangeAuthor,
): Promise<DatasetExport> {
  if ((await readdir(dir).catch(() => [])).length > 0) throw new Error(`${dir} is not empty; export into a new folder`);
  const images = await findLabelledImages(deps.db, filter);
  // Every class of the labelling models, so train finds each class folder, empty or not.
  const classes = [...new Set(images.flatMap((image) => [...image.modelClasses, image.label]))].sort();
  for (const label of classes) await mkdir(path.join(dir, label), { recursive: true });
  const rows: (string | number | null)[][] = [];
  const perLabel: Record<string, number> = Object.fromEntries(classes.map((label) => [label, 0]));
  for (const [index, image] of images.entries()) {
    const file = path.posix.join(image.label, fileName(image, index));
    await writeFile(path.join(dir, file), await deps.objectStore.get(image.objectKey));
    perLabel[image.label] = (perLabel[image.label] ?? 0) + 1;
    rows.push([
      file,
      image.label,
      image.sha256,
      image.imageId,
      image.originalName,
      image.lab,
      image.specimen,
      image.model,
      image.modelLabel,
      image.modelConfidence,
      image.decision,
      image.reviewer,
      image.reason,
      image.labelledAt.toISOString(),
    ]);
  }
  await writeFile(
    path.join(dir, MANIFEST_FILE),
    [COLUMNS, ...rows].map((row) => row.map(csvCell).join(",")).join("\n") + "\n",
  );
  const exported: DatasetExport = { id: randomUUID(), dir, images: images.length, perLabel };
  const labId = filter.lab ? (await deps.db.labs.findBySlug(filter.lab))?.id : undefined;
  await recordChange(deps.db, author, {
    action: CHANGE_ACTIONS.datasetExported,
    entityType: "dataset",
    entityId: exported.id,
    labId,
    details: {
      dir,
      images: images.length,
      perLabel,
      lab: filter.lab ?? null,
      since: filter.since?.toISOString() ?? null,
      reviewedOnly: filter.reviewedOnly,
    },
  });
  return exported;
}
