import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface ImageEntry {
  path: string;
  className: string;
  /** Index of className in the class list. */
  label: number;
  /** The last number in the file name; neighbouring numbers come from the same smear. */
  fileNumber: number;
  sha256: string;
}

export const IMAGE_EXTENSIONS = new Set([".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"]);

function fileNumberOf(fileName: string): number {
  const digits = path.parse(fileName).name.match(/(\d+)(?!.*\d)/);
  if (digits === null) throw new Error(`no file number in ${fileName}`);
  return Number(digits[1]);
}

/** Lists `root/<class>/*` images for the given classes, sorted by class then file number. */
export async function listImageFolder(root: string, classes: readonly string[]): Promise<ImageEntry[]> {
  const entries: ImageEntry[] = [];
  for (const [label, className] of classes.entries()) {
    const dir = path.join(root, className);
    const names = (await readdir(dir)).filter((name) => IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase()));
    for (const name of names) {
      const file = path.join(dir, name);
      const sha256 = createHash("sha256")
        .update(await readFile(file))
        .digest("hex");
      entries.push({ path: file, className, label, fileNumber: fileNumberOf(name), sha256 });
    }
  }
  return entries.sort((a, b) => a.label - b.label || a.fileNumber - b.fileNumber);
}
