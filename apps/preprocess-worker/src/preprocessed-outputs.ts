import type { BoundingBox } from "@leukoflow/imaging";
import type { ObjectStore } from "@leukoflow/shared";
import type { PreprocessedUpload } from "./preprocess-upload.js";

/**
 * What the preprocess worker stored for one upload and recipe, as recorded on Image.segmentation.
 * The model can take the whole image (Image.preprocessedKey) or one crop per cell (cells[].cropKey).
 */
export interface PreprocessedManifest {
  width: number;
  height: number;
  format: string;
  threshold: number;
  maskKey: string;
  overlayKey: string;
  cells: { box: BoundingBox; cropBox: BoundingBox; area: number; cropKey: string }[];
}

/** Keys of one upload's outputs, all derived from the lab, the recipe and the upload's sha256. */
export function outputKeys(labId: string, recipeId: string, sha256: string) {
  const base = `labs/${labId}/preprocessed/${recipeId}/${sha256}`;
  return {
    whole: `${base}.png`,
    manifest: `${base}.json`,
    mask: `${base}/mask.png`,
    overlay: `${base}/overlay.png`,
    cell: (index: number) => `${base}/cell-${index}.png`,
  };
}

/** The manifest of an earlier run, or null when the outputs were never completely stored. */
export async function readManifest(store: ObjectStore, keys: ReturnType<typeof outputKeys>): Promise<PreprocessedManifest | null> {
  if (!(await store.head(keys.manifest))) return null;
  return JSON.parse((await store.get(keys.manifest)).toString("utf8")) as PreprocessedManifest;
}

/** Stores every output, the manifest last: its presence means all the rest is there. */
export async function storeOutputs(store: ObjectStore, keys: ReturnType<typeof outputKeys>, output: PreprocessedUpload): Promise<PreprocessedManifest> {
  const png = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  await Promise.all([
    store.put(keys.whole, png(output.png), "image/png"),
    store.put(keys.mask, png(output.maskPng), "image/png"),
    store.put(keys.overlay, png(output.overlayPng), "image/png"),
    ...output.cells.map((cell, index) => store.put(keys.cell(index), png(cell.png), "image/png")),
  ]);
  const manifest: PreprocessedManifest = {
    width: output.width,
    height: output.height,
    format: output.format,
    threshold: output.threshold,
    maskKey: keys.mask,
    overlayKey: keys.overlay,
    cells: output.cells.map(({ box, cropBox, area }, index) => ({ box, cropBox, area, cropKey: keys.cell(index) })),
  };
  await store.put(keys.manifest, Buffer.from(JSON.stringify(manifest)), "application/json");
  return manifest;
}
