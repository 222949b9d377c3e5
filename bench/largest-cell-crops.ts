// The per-cell experiment of docs/model-card.md, step 1: each ALL-dataset image's largest leukocyte,
// segmented and boxed as the preprocess worker does, written under the image's own name so that
// `leukoflow train <out>` cuts the crops into the same file-number blocks as the fields.
//   npx tsx bench/largest-cell-crops.ts --out <dir> [--size 96]
import { mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { cellCropBox, segmentLeukocytes } from "@leukoflow/imaging";
import { ariaOriginalDir } from "@leukoflow/shared";

const DATASET = ariaOriginalDir();
/** The preprocess worker's CROP_MARGIN: a quarter of the cell's longer side on each side. */
const CROP_MARGIN = 0.25;

const { values } = parseArgs({ options: { out: { type: "string" }, size: { type: "string", default: "96" } } });
if (!values.out) throw new Error("--out <dir> is required");
const size = Number(values.size);
let withoutCell = 0;
for (const className of await readdir(DATASET)) {
  await mkdir(path.join(values.out, className), { recursive: true });
  for (const file of await readdir(path.join(DATASET, className))) {
    const { data, info } = await sharp(path.join(DATASET, className, file))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const [largest] = segmentLeukocytes({ width: info.width, height: info.height, data: new Uint8Array(data) }).cells;
    let crop = sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } });
    if (largest) {
      const box = cellCropBox(largest.box, info.width, info.height, CROP_MARGIN);
      crop = crop.extract({ left: box.x, top: box.y, width: box.width, height: box.height });
    } else withoutCell += 1;
    await crop
      .resize(size, size, { fit: "fill" })
      .png()
      .toFile(path.join(values.out, className, file.replace(/\.\w+$/, ".png")));
  }
}
console.log(`crops written to ${values.out}; ${withoutCell} images without a cell kept whole`);
