import { preprocessedBaseKey } from "@leukoflow/contracts";
import {
  MODEL_INPUT_CONTENT_TYPE,
  MODEL_INPUT_EXTENSION,
  type ObjectStore,
  type ReviewImagesManifest,
} from "@leukoflow/shared";
import type { ReviewImages } from "./review-images.js";

/** Keys of one upload's outputs, all derived from the lab, the recipe and the upload's sha256. */
export function outputKeys(labId: string, recipeId: string, sha256: string) {
  const base = preprocessedBaseKey(labId, recipeId, sha256);
  return {
    modelInput: `${base}.${MODEL_INPUT_EXTENSION}`,
    manifest: `${base}.json`,
    mask: `${base}/mask.png`,
    overlay: `${base}/overlay.png`,
    cell: (index: number) => `${base}/cell-${index}.png`,
  };
}
export type OutputKeys = ReturnType<typeof outputKeys>;

export async function storeModelInput(store: ObjectStore, keys: OutputKeys, pixels: Uint8Array): Promise<void> {
  await store.put(
    keys.modelInput,
    Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength),
    MODEL_INPUT_CONTENT_TYPE,
  );
}

/** The manifest of an earlier run, or null when the review images were never completely stored. */
export async function readManifest(store: ObjectStore, keys: OutputKeys): Promise<ReviewImagesManifest | null> {
  if (!(await store.head(keys.manifest))) return null;
  return JSON.parse((await store.get(keys.manifest)).toString("utf8")) as ReviewImagesManifest;
}

/** Stores every review image, the manifest last: its presence means all the rest is there. */
export async function storeReviewImages(
  store: ObjectStore,
  keys: OutputKeys,
  output: ReviewImages,
): Promise<ReviewImagesManifest> {
  const png = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  await Promise.all([
    store.put(keys.mask, png(output.maskPng), "image/png"),
    store.put(keys.overlay, png(output.overlayPng), "image/png"),
    ...output.cells.map((cell, index) => store.put(keys.cell(index), png(cell.png), "image/png")),
  ]);
  const manifest: ReviewImagesManifest = {
    threshold: output.threshold,
    maskKey: keys.mask,
    overlayKey: keys.overlay,
    cells: output.cells.map(({ box, cropBox, area }, index) => ({ box, cropBox, area, cropKey: keys.cell(index) })),
  };
  await store.put(keys.manifest, Buffer.from(JSON.stringify(manifest)), "application/json");
  return manifest;
}
