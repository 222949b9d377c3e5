import { createRgbImage, type RgbImage } from "../rgb-image.js";

/** Multipliers of 1 leave the image unchanged. */
export interface ColourJitter {
  brightness: number;
  contrast: number;
  saturation: number;
}

/** Brightness scales every channel; contrast stretches about the image's mean grey; saturation about each pixel's grey. */
export function jitterColour(image: RgbImage, { brightness, contrast, saturation }: ColourJitter): RgbImage {
  const { data } = image;
  const out = createRgbImage(image.width, image.height);
  let greySum = 0;
  for (let i = 0; i < data.length; i += 3) greySum += luma(data[i]!, data[i + 1]!, data[i + 2]!);
  const meanGrey = (greySum / (data.length / 3)) * brightness;
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i]! * brightness,
      g = data[i + 1]! * brightness,
      b = data[i + 2]! * brightness;
    const grey = luma(r, g, b);
    for (let c = 0; c < 3; c += 1) {
      const saturated = grey + ((c === 0 ? r : c === 1 ? g : b) - grey) * saturation;
      const value = meanGrey + (saturated - meanGrey) * contrast;
      out.data[i + c] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
    }
  }
  return out;
}

function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}
