import type { StainNormalization } from "@leukoflow/contracts";
import type { RgbImage } from "../rgb-image.js";
import { ARIA_REFERENCE_LAB, labStatistics, reinhardNormalize } from "./reinhard.js";

/** The transform (contracts' StainNormalization) fitted on one whole smear, to apply alike to the smear and to crops of it. */
export function stainNormalizer(normalization: StainNormalization, smear: RgbImage): (pixels: RgbImage) => RgbImage {
  if (normalization === "none") return (pixels) => pixels;
  const statistics = labStatistics(smear);
  return (pixels) => reinhardNormalize(pixels, statistics, ARIA_REFERENCE_LAB);
}
