import { createRgbImage, type RgbImage } from "@leukoflow/imaging";

/** Adds zero-mean Gaussian noise of standard deviation `sigma` (in 0–255 units) to every channel. */
export function addGaussianNoise(image: RgbImage, sigma: number, random: () => number): RgbImage {
  const out = createRgbImage(image.width, image.height);
  for (let i = 0; i < image.data.length; i++) {
    // Box–Muller; 1 − random() keeps the logarithm finite.
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    out.data[i] = Math.min(255, Math.max(0, Math.round(image.data[i]! + sigma * gaussian)));
  }
  return out;
}
