/**
 * Prints the mean per-image Lab statistics of the ALL dataset's smears, the Reinhard target
 * ARIA_REFERENCE_LAB in packages/imaging/src/stain/reinhard.ts.
 *
 *   npx tsx bench/preprocess-stain-reference.ts
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { labStatistics } from "@leukoflow/imaging";
import { ariaOriginalDir } from "@leukoflow/shared";

const ORIGINALS = ariaOriginalDir();
const mean = [0, 0, 0];
const std = [0, 0, 0];
let images = 0;
for (const label of readdirSync(ORIGINALS).sort()) {
  for (const file of readdirSync(path.join(ORIGINALS, label)).sort()) {
    const { data, info } = await sharp(path.join(ORIGINALS, label, file))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const statistics = labStatistics({ width: info.width, height: info.height, data });
    for (let c = 0; c < 3; c += 1) {
      mean[c]! += statistics.mean[c]!;
      std[c]! += statistics.std[c]!;
    }
    images += 1;
  }
}
const round = (values: number[]) => values.map((v) => Math.round((v / images) * 100) / 100);
console.log(JSON.stringify({ images, mean: round(mean), std: round(std) }));
