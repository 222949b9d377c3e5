import { readdir } from "node:fs/promises";
import { listImageFolder, type ImageEntry } from "./list-image-folder.js";

export interface ExtraTrainingImages {
  /** Images that go to the training side as they are, outside the block split. */
  added: ImageEntry[];
  /** Copies of an image already in the split data (or twice in the extra folders): left where the split put the first copy. */
  alreadyInData: number;
}

/**
 * Images beyond the dataset a run is split on, e.g. what `leukoflow datasets export` wrote from the
 * labs' reviews: all of them train, none is held out. A byte-identical copy of a split image is
 * dropped, so a held-out image can never come back in through an export.
 */
export async function listExtraTrainingImages(
  dirs: readonly string[],
  classes: readonly string[],
  splitData: readonly ImageEntry[],
): Promise<ExtraTrainingImages> {
  const seen = new Set(splitData.map((entry) => entry.sha256));
  const result: ExtraTrainingImages = { added: [], alreadyInData: 0 };
  for (const dir of dirs) {
    const folders = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const unknown = folders.filter((name) => !classes.includes(name));
    if (unknown.length > 0)
      throw new Error(`${dir}: ${unknown.join(", ")} is not one of this run's classes (${classes.join(", ")})`);
    const entries = await listImageFolder(
      dir,
      classes.filter((name) => folders.includes(name)),
    );
    for (const entry of entries) {
      if (seen.has(entry.sha256)) result.alreadyInData += 1;
      else result.added.push({ ...entry, label: classes.indexOf(entry.className) });
      seen.add(entry.sha256);
    }
  }
  return result;
}
