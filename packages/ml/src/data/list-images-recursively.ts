import { readdir } from "node:fs/promises";
import path from "node:path";
import { IMAGE_EXTENSIONS } from "./list-image-folder.js";

/** Every image file under `root`, at any depth, sorted by path. */
export async function listImagesRecursively(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
