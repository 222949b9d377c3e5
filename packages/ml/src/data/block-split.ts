import type { HeldOutRange } from "@leukoflow/contracts";
import type { ImageEntry } from "./list-image-folder.js";

export interface BlockSplitOptions {
  /** Each class's images, sorted by file number, are cut into this many equal contiguous blocks. */
  blocks: number;
  /** Zero-based index of the block held out. */
  heldOutBlock: number;
  /** Images on each side of the held-out block dropped from training: a smear straddling the cut stays out of both. */
  gap?: number;
}

export interface BlockSplit {
  train: ImageEntry[];
  heldOut: ImageEntry[];
  /** Dropped by the gap. */
  excluded: ImageEntry[];
  heldOutRanges: HeldOutRange[];
  description: string;
}

type Side = "train" | "heldOut" | "excluded";

function sidesForClass(sorted: ImageEntry[], options: BlockSplitOptions): Side[] {
  const { blocks, heldOutBlock, gap = 0 } = options;
  const start = Math.floor((heldOutBlock * sorted.length) / blocks);
  const end = Math.floor(((heldOutBlock + 1) * sorted.length) / blocks);
  const sides = sorted.map((_, i): Side =>
    i >= start && i < end ? "heldOut" : i >= start - gap && i < end + gap ? "excluded" : "train",
  );
  // Byte-identical images follow the first (lowest-numbered) copy, so no copy crosses the split.
  const sideOfHash = new Map<string, Side>();
  sorted.forEach((entry, i) => {
    const first = sideOfHash.get(entry.sha256);
    if (first === undefined) sideOfHash.set(entry.sha256, sides[i]!);
    else sides[i] = first;
  });
  return sides;
}

/** Holds out one contiguous block of file numbers per class; never a random split (no patient IDs). */
export function splitByFileNumberBlocks(entries: readonly ImageEntry[], options: BlockSplitOptions): BlockSplit {
  if (!(options.heldOutBlock >= 0 && options.heldOutBlock < options.blocks))
    throw new Error("heldOutBlock out of range");
  const split: BlockSplit = { train: [], heldOut: [], excluded: [], heldOutRanges: [], description: "" };
  const classNames = [...new Set(entries.map((entry) => entry.className))];
  for (const className of classNames) {
    const sorted = entries.filter((entry) => entry.className === className).sort((a, b) => a.fileNumber - b.fileNumber);
    const sides = sidesForClass(sorted, options);
    sorted.forEach((entry, i) => split[sides[i]!].push(entry));
    const heldOut = sorted.filter((_, i) => sides[i] === "heldOut");
    split.heldOutRanges.push({
      className,
      firstFileNumber: heldOut[0]?.fileNumber ?? NaN,
      lastFileNumber: heldOut.at(-1)?.fileNumber ?? NaN,
      count: heldOut.length,
    });
  }
  const ranges = split.heldOutRanges
    .map((r) => `${r.className} #${r.firstFileNumber}-${r.lastFileNumber} (${r.count})`)
    .join(", ");
  split.description =
    `per class, images sorted by file number and cut into ${options.blocks} contiguous blocks; block ` +
    `${options.heldOutBlock + 1} held out: ${ranges}; ${options.gap ?? 0} images either side dropped from ` +
    `training; byte-identical copies kept on one side`;
  return split;
}
