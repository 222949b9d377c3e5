import { readdir } from "node:fs/promises";
import path from "node:path";

/** `count` images of one class folder, evenly spaced over its files so they span many patients. */
export async function sampleClassImages(datasetDir: string, label: string, count: number): Promise<string[]> {
  const dir = path.join(datasetDir, label);
  const files = (await readdir(dir)).filter((file) => /\.(jpe?g|png|tiff?|bmp|webp)$/i.test(file)).sort();
  if (files.length < count) throw new Error(`${dir} holds ${files.length} images, fewer than ${count}`);
  const step = files.length / count;
  return Array.from({ length: count }, (_, i) => path.join(dir, files[Math.floor(i * step + step / 2)]!));
}
