import { readdir } from "node:fs/promises";
import path from "node:path";

export interface FileNumberRange {
  firstFileNumber: number;
  lastFileNumber: number;
}

const fileNumberOf = (file: string) => Number(path.parse(file).name.match(/(\d+)(?!.*\d)/)?.[1] ?? Number.NaN);

/**
 * `count` images of one class folder, evenly spaced over the files whose number lies in `range`
 * (a model's held-out block, so the demo shows predictions on images the model never trained on).
 */
export async function sampleClassImages(
  datasetDir: string,
  label: string,
  count: number,
  range: FileNumberRange,
): Promise<string[]> {
  const dir = path.join(datasetDir, label);
  const files = (await readdir(dir))
    .filter((file) => /\.(jpe?g|png|tiff?|bmp|webp)$/i.test(file))
    .filter((file) => fileNumberOf(file) >= range.firstFileNumber && fileNumberOf(file) <= range.lastFileNumber)
    .sort();
  if (files.length < count) throw new Error(`${dir} holds ${files.length} held-out images, fewer than ${count}`);
  const step = files.length / count;
  return Array.from({ length: count }, (_, i) => path.join(dir, files[Math.floor(i * step + step / 2)]!));
}
