import { applyDihedral, DIHEDRAL_TRANSFORMS, jitterColour, scaleAboutCentre, type RgbImage } from "@leukoflow/imaging";
import { addGaussianNoise, boxBlur3 } from "./noise-and-blur.js";
import { jitterStain } from "./stain-jitter.js";

export interface AugmentOptions {
  /** Zoom factor range; > 1 zooms in. */
  zoom: [number, number];
  /** Largest change of the brightness, contrast and saturation multipliers away from 1. */
  brightness: number;
  contrast: number;
  saturation: number;
  /** Largest change of each channel's optical-density gain away from 1 (stain strength and lamp colour). */
  stain: number;
  /** Probability of a 3×3 box blur (defocus); 0 = never. */
  blur: number;
  /** Largest standard deviation of Gaussian sensor noise, 0–255 units; each image draws one in [0, noise]. */
  noise: number;
}

export const DEFAULT_AUGMENT: AugmentOptions = {
  zoom: [0.9, 1.15],
  brightness: 0.08,
  contrast: 0.15,
  saturation: 0.15,
  stain: 0.1,
  blur: 0,
  noise: 0,
};

const uniform = (random: () => number, low: number, high: number): number => low + (high - low) * random();

/**
 * A random one of the 8 flip/quarter-turn symmetries (cells have no orientation), a zoom about the
 * centre, stain jitter, brightness/contrast/saturation jitter and, when enabled, blur and sensor
 * noise, built from @leukoflow/imaging's
 * operations. Input and output are RGB HWC bytes of size × size; `random` makes it deterministic.
 */
export function augmentImage(rgb: Uint8Array, size: number, random: () => number, options: AugmentOptions = DEFAULT_AUGMENT): Uint8Array {
  const transform = DIHEDRAL_TRANSFORMS[Math.floor(random() * DIHEDRAL_TRANSFORMS.length)]!;
  const zoom = uniform(random, options.zoom[0], options.zoom[1]);
  const around = (range: number): number => 1 + uniform(random, -range, range);
  const gains = [around(options.stain), around(options.stain), around(options.stain)] as const;
  const jitter = { brightness: around(options.brightness), contrast: around(options.contrast), saturation: around(options.saturation) };
  let image: RgbImage = applyDihedral({ width: size, height: size, data: rgb }, transform);
  if (zoom !== 1) image = scaleAboutCentre(image, zoom);
  if (options.stain > 0) image = jitterStain(image, gains);
  image = jitterColour(image, jitter);
  if (options.blur > 0 && random() < options.blur) image = boxBlur3(image);
  if (options.noise > 0) image = addGaussianNoise(image, options.noise * random(), random);
  return image.data;
}
