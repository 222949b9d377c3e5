import { beforeAll, describe, expect, it } from "vitest";
import { splitByFileNumberBlocks, type BlockSplit } from "./block-split.js";
import { listImageFolder, type ImageEntry } from "./list-image-folder.js";
import { ariaOriginalDir } from "@leukoflow/shared";

const ARIA_ORIGINAL = ariaOriginalDir();
const CLASSES = ["benign", "early_pre_b", "pre_b", "pro_b"];

describe("splitByFileNumberBlocks on all-aria", () => {
  let entries: ImageEntry[];
  let split: BlockSplit;
  beforeAll(async () => {
    entries = await listImageFolder(ARIA_ORIGINAL, CLASSES);
    split = splitByFileNumberBlocks(entries, { blocks: 5, heldOutBlock: 2, gap: 4 });
  });

  it("lists every image once", () => {
    expect(entries).toHaveLength(2767);
    expect(split.train.length + split.heldOut.length + split.excluded.length).toBe(entries.length);
  });

  it("has no image, and no identical bytes, on both sides", () => {
    const trainPaths = new Set(split.train.map((e) => e.path));
    const trainHashes = new Set(split.train.map((e) => e.sha256));
    for (const entry of split.heldOut) {
      expect(trainPaths.has(entry.path)).toBe(false);
      expect(trainHashes.has(entry.sha256)).toBe(false);
    }
  });

  it("keeps each byte-identical pair together", () => {
    const sideOf = new Map<string, Set<string>>();
    for (const [side, list] of Object.entries({
      train: split.train,
      heldOut: split.heldOut,
      excluded: split.excluded,
    })) {
      for (const entry of list) sideOf.set(entry.sha256, (sideOf.get(entry.sha256) ?? new Set()).add(side));
    }
    const duplicated = entries.filter((e, i) => entries.findIndex((o) => o.sha256 === e.sha256) !== i);
    expect(duplicated.length).toBe(40);
    for (const entry of duplicated) expect(sideOf.get(entry.sha256)?.size).toBe(1);
  });

  it("holds out one contiguous run of file numbers per class, with the gap around it", () => {
    for (const className of CLASSES) {
      const numbers = (list: ImageEntry[]): number[] =>
        list
          .filter((e) => e.className === className)
          .map((e) => e.fileNumber)
          .sort((a, b) => a - b);
      const heldOut = numbers(split.heldOut);
      const all = numbers(entries);
      const first = all.indexOf(heldOut[0]!);
      expect(all.slice(first, first + heldOut.length)).toEqual(heldOut);
      expect(heldOut.length).toBeGreaterThanOrEqual(Math.floor(all.length / 5) - 1);
      const nearest = Math.min(
        ...numbers(split.train).map((n) => Math.min(Math.abs(n - heldOut[0]!), Math.abs(n - heldOut.at(-1)!))),
      );
      expect(nearest).toBeGreaterThan(4);
    }
  });

  it("describes the held-out ranges", () => {
    expect(split.heldOutRanges.map((r) => r.className)).toEqual(CLASSES);
    expect(split.description).toMatch(/contiguous blocks/);
  });
});
