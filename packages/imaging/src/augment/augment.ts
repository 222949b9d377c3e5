import type { RgbImage } from "../rgb-image.js";
import { applyDihedral, DIHEDRAL_TRANSFORMS } from "./dihedral.js";
import { jitterColour } from "./jitter-colour.js";
import { scaleAboutCentre } from "./scale-about-centre.js";
import { seededRandom } from "./seeded-random.js";

export interface AugmentationOptions {
  /** Largest zoom away from 1, e.g. 0.1 draws factors in [0.9, 1.1]. */
  scaleRange: number;
  /** Largest change of each colour multiplier away from 1. */
  brightnessRange: number;
  contrastRange: number;
  saturationRange: number;
}

export const DEFAULT_AUGMENTATION: AugmentationOptions = {
  scaleRange: 0.1,
  brightnessRange: 0.1,
  contrastRange: 0.1,
  saturationRange: 0.15,
};

/**
 * One training augmentation of an image, fully determined by `seed`: a random one of the 8
 * flip/quarter-turn symmetries, a zoom about the centre, then brightness, contrast and saturation jitter.
 */
export function augment(image: RgbImage, seed: number, options: AugmentationOptions = DEFAULT_AUGMENTATION): RgbImage {
  const random = seededRandom(seed);
  const around = (range: number) => 1 + (random() * 2 - 1) * range;
  const transform = DIHEDRAL_TRANSFORMS[Math.floor(random() * DIHEDRAL_TRANSFORMS.length)]!;
  const factor = around(options.scaleRange);
  const jitter = { brightness: around(options.brightnessRange), contrast: around(options.contrastRange), saturation: around(options.saturationRange) };
  return jitterColour(scaleAboutCentre(applyDihedral(image, transform), factor), jitter);
}
