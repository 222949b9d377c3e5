import { readdirSync } from "node:fs";
import path from "node:path";
import { ariaOriginalDir, datasetsDir, pbcSubsetDir } from "@leukoflow/shared";

export const DATASETS_DIR = datasetsDir();
export const ARIA_ORIGINAL_DIR = ariaOriginalDir();
/** Another lab's normal cells (PBC dataset, another scanner): what the ALL model never saw. */
export const PBC_DIR = pbcSubsetDir();

function jpegsInOrder(dir: string, count: number, offset: number): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".jpg"))
    .sort()
    .slice(offset, offset + count)
    .map((file) => path.join(dir, file));
}

/** The first `count` images of a class of the ALL dataset, in file-number order. */
export function ariaImages(label: string, count: number, offset = 0): string[] {
  return jpegsInOrder(path.join(ARIA_ORIGINAL_DIR, label), count, offset);
}

/** The first `count` images of a PBC cell type, in file order. */
export function pbcImages(cellType: string, count: number, offset = 0): string[] {
  return jpegsInOrder(path.join(PBC_DIR, cellType), count, offset);
}
