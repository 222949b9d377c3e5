import { listImageFolder } from "./list-image-folder.js";
import type { ModelMetadata } from "@leukoflow/contracts";

/** The images a model was validated on, re-selected from its validation.heldOutRanges in `datasetRoot/<class>/`. */
export async function heldOutImagePaths(datasetRoot: string, meta: ModelMetadata): Promise<string[]> {
  const entries = await listImageFolder(datasetRoot, meta.classes);
  return entries
    .filter((entry) =>
      meta.validation.heldOutRanges.some(
        (range) =>
          range.className === entry.className &&
          entry.fileNumber >= range.firstFileNumber &&
          entry.fileNumber <= range.lastFileNumber,
      ),
    )
    .map((entry) => entry.path);
}
