import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { ariaOriginalDir } from "@leukoflow/shared";

export const ARIA_ORIGINALS = ariaOriginalDir();

export interface NamedImage {
  name: string;
  bytes: Buffer;
}

/**
 * `count` real smears (224×224 JPEG, ~20 KB), taken round-robin over the classes so every class is in any prefix.
 * The dataset holds byte-identical files; each is taken once, as ingest would keep one image of them.
 */
export function ariaImages(count: number): NamedImage[] {
  const byClass = readdirSync(ARIA_ORIGINALS)
    .sort()
    .map((label) =>
      readdirSync(path.join(ARIA_ORIGINALS, label))
        .sort()
        .map((file) => ({ name: `${label}-${file}`, file: path.join(ARIA_ORIGINALS, label, file) })),
    );
  const longest = Math.max(...byClass.map((files) => files.length));
  const interleaved = Array.from({ length: longest }, (_, i) => byClass.flatMap((files) => files[i] ?? [])).flat();
  const seen = new Set<string>();
  const distinct = interleaved
    .map(({ name, file }) => ({ name, bytes: readFileSync(file) }))
    .filter(({ bytes }) => {
      const digest = createHash("sha256").update(bytes).digest("hex");
      return !seen.has(digest) && seen.add(digest);
    });
  return distinct.slice(0, count);
}

/** A real smear upscaled to 280×280 and PNG-encoded: about 150 KB, the size of a lab's lossless capture. */
export async function uploadSizedPng(image: NamedImage): Promise<NamedImage> {
  const bytes = await sharp(image.bytes).resize(280, 280).png().toBuffer();
  return { name: image.name.replace(/\.\w+$/, ".png"), bytes };
}
