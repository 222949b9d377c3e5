import { splitByFileNumberBlocks, type BlockSplitOptions } from "./block-split.js";
import type { ImageEntry } from "./list-image-folder.js";
import type { ModelMetadata, HeldOutRange } from "@leukoflow/contracts";

/** Which images of a model's own dataset to use: every one, its held-out test blocks, its monitor blocks, or the rest it trained on. */
export type SplitSelection = "all" | "held-out" | "monitor" | "train";

const inRanges = (entry: ImageEntry, ranges: readonly HeldOutRange[]): boolean =>
  ranges.some(
    (r) =>
      r.className === entry.className && entry.fileNumber >= r.firstFileNumber && entry.fileNumber <= r.lastFileNumber,
  );

/**
 * Re-selects a model's held-out, monitor or training images from its metadata, refusing when models disagree:
 * an image held out by one member but trained on by another would leak into an ensemble's score.
 */
export function selectSplit(
  entries: ImageEntry[],
  metas: readonly ModelMetadata[],
  selection: SplitSelection,
): ImageEntry[] {
  if (selection === "all") return entries;
  const [first, ...others] = metas;
  const key = (meta: ModelMetadata): string =>
    JSON.stringify([meta.validation.heldOutRanges, selection === "held-out" ? null : meta.splitOptions]);
  for (const other of others) {
    if (key(other) !== key(first!))
      throw new Error(
        `${other.name} and ${first!.name} were not trained on the same split; evaluate them on --split all with independent data`,
      );
  }
  const heldOut = entries.filter((entry) => inRanges(entry, first!.validation.heldOutRanges));
  if (selection === "held-out") return heldOut;
  const splitOptions = first!.splitOptions as { test: BlockSplitOptions; monitor: BlockSplitOptions } | undefined;
  if (!splitOptions)
    throw new Error(`${first!.name} records no splitOptions, so its monitor and training blocks cannot be re-selected`);
  const testSplit = splitByFileNumberBlocks(entries, splitOptions.test);
  if (testSplit.heldOut.length !== heldOut.length)
    throw new Error(`splitOptions of ${first!.name} do not reproduce its held-out ranges on this data`);
  const monitorSplit = splitByFileNumberBlocks(testSplit.train, splitOptions.monitor);
  return selection === "monitor" ? monitorSplit.heldOut : monitorSplit.train;
}
