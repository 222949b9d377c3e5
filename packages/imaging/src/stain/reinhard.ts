import { labToSrgb, srgbToLab } from "../colour/lab.js";
import { createRgbImage, type RgbImage } from "../rgb-image.js";

/** Mean and standard deviation of L*, a*, b* over an image's pixels. */
export interface LabStatistics {
  mean: [number, number, number];
  std: [number, number, number];
}

/**
 * Mean per-image Lab statistics of the ALL dataset's smears (all-aria/original, 2,767 images, from
 * bench/preprocess-stain-reference.ts): the colours the models are trained on.
 */
export const ARIA_REFERENCE_LAB: LabStatistics = {
  mean: [87.18, 2.34, -11.21],
  std: [11.7, 10.24, 14.82],
};

export function labStatistics(image: RgbImage): LabStatistics {
  const lab = toLab(image);
  const sum = [0, 0, 0];
  const sumSquares = [0, 0, 0];
  for (let i = 0; i < lab.length; i += 3) {
    for (let c = 0; c < 3; c += 1) {
      sum[c]! += lab[i + c]!;
      sumSquares[c]! += lab[i + c]! * lab[i + c]!;
    }
  }
  const n = lab.length / 3;
  const mean = sum.map((s) => s / n) as [number, number, number];
  const std = sumSquares.map((s, c) => Math.sqrt(Math.max(s / n - mean[c]! * mean[c]!, 0))) as [number, number, number];
  return { mean, std };
}

/**
 * Reinhard colour transfer: shifts and scales each Lab channel so that an image with `source`
 * statistics gets `target`'s. Statistics are passed in, so one transform (fitted on a whole smear)
 * can be applied alike to the smear and to crops of it.
 */
export function reinhardNormalize(image: RgbImage, source: LabStatistics, target: LabStatistics): RgbImage {
  const lab = toLab(image);
  const out = createRgbImage(image.width, image.height);
  const gain = source.std.map((s, c) => (s > 1e-6 ? target.std[c]! / s : 1));
  for (let i = 0; i < lab.length; i += 3) {
    labToSrgb(
      (lab[i]! - source.mean[0]) * gain[0]! + target.mean[0],
      (lab[i + 1]! - source.mean[1]) * gain[1]! + target.mean[1],
      (lab[i + 2]! - source.mean[2]) * gain[2]! + target.mean[2],
      out.data,
      i,
    );
  }
  return out;
}

function toLab(image: RgbImage): Float32Array {
  const lab = new Float32Array(image.width * image.height * 3);
  const { data } = image;
  for (let i = 0; i < lab.length; i += 3) srgbToLab(data[i]!, data[i + 1]!, data[i + 2]!, lab, i);
  return lab;
}
