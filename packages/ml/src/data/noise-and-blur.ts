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

/** 3×3 box blur with edges repeated: the slight defocus of another microscope. */
export function boxBlur3(image: RgbImage): RgbImage {
  const { width, height, data } = image;
  const out = createRgbImage(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const sx = Math.min(width - 1, Math.max(0, x + dx)), sy = Math.min(height - 1, Math.max(0, y + dy));
            sum += data[(sy * width + sx) * 3 + c]!;
          }
        }
        out.data[(y * width + x) * 3 + c] = Math.round(sum / 9);
      }
    }
  }
  return out;
}
