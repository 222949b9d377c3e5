import path from "node:path";
import sharp from "sharp";
import { DATASETS_DIR } from "../../../../test/support/datasets.js";
import type { BinaryMask, RgbImage } from "../rgb-image.js";

/** An image of the ALL dataset (e.g. "pre_b/WBC-Malignant-Pre-010.jpg") as RGB pixels. */
export async function ariaRgb(file: string, folder: "original" | "segmented" = "original"): Promise<RgbImage> {
  const { data, info } = await sharp(path.join(DATASETS_DIR, "all-aria", folder, file))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** The dataset authors' segmentation of an image as a mask: whatever is not black. */
export async function ariaGroundTruth(file: string): Promise<BinaryMask> {
  const segmented = await ariaRgb(file, "segmented");
  const data = new Uint8Array(segmented.width * segmented.height);
  for (let i = 0; i < data.length; i += 1) {
    data[i] = Math.max(segmented.data[i * 3]!, segmented.data[i * 3 + 1]!, segmented.data[i * 3 + 2]!) > 40 ? 1 : 0;
  }
  return { width: segmented.width, height: segmented.height, data };
}
