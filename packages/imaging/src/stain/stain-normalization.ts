import type { RgbImage } from "../rgb-image.js";
import { ARIA_REFERENCE_LAB, labStatistics, reinhardNormalize } from "./reinhard.js";

/**
 * The colour normalization a model is trained with, which everything feeding it applies alike:
 * none (the camera's colours) or reinhard (each smear's Lab statistics mapped onto the ALL dataset's).
 */
export const STAIN_NORMALIZATIONS = ["none", "reinhard"] as const;
export type StainNormalization = (typeof STAIN_NORMALIZATIONS)[number];

/** The transform fitted on one whole smear, to apply alike to the smear and to crops of it. */
export function stainNormalizer(normalization: StainNormalization, smear: RgbImage): (pixels: RgbImage) => RgbImage {
  if (normalization === "none") return (pixels) => pixels;
  const statistics = labStatistics(smear);
  return (pixels) => reinhardNormalize(pixels, statistics, ARIA_REFERENCE_LAB);
}
