import { readdirSync } from "node:fs";
import path from "node:path";

/** The real datasets beside the checkout (../shared/datasets); never copied into the project. */
export const DATASETS_DIR = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "datasets");
export const ARIA_ORIGINAL_DIR = path.join(DATASETS_DIR, "all-aria", "original");

/** The first `count` images of a class of the ALL dataset, in file-number order. */
export function ariaImages(label: string, count: number, offset = 0): string[] {
  const dir = path.join(ARIA_ORIGINAL_DIR, label);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".jpg"))
    .sort()
    .slice(offset, offset + count)
    .map((file) => path.join(dir, file));
}
