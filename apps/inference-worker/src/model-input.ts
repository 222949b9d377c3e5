import { decodeToModelInput, type ModelInputSpec } from "@leukoflow/ml";
import { decodeModelInputPixels, type ObjectStore } from "@leukoflow/shared";

/**
 * The pixels the preprocess worker stored for an image, already colour-normalized. A PNG is an image
 * preprocessed before the raw format, still in flight across an upgrade.
 */
export async function readModelInput(
  objectStore: ObjectStore,
  key: string,
  input: ModelInputSpec,
): Promise<Uint8Array> {
  const stored = await objectStore.get(key);
  return key.endsWith(".png")
    ? decodeToModelInput(stored, { inputSize: input.inputSize, stainNormalization: "none" })
    : decodeModelInputPixels(stored).data;
}
