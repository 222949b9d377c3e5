import { createRgbImage, type RgbImage } from "../rgb-image.js";

/** Zooms by `factor` about the centre, keeping the size: > 1 crops in, < 1 shows more, edges repeated. Bilinear. */
export function scaleAboutCentre(image: RgbImage, factor: number): RgbImage {
  const { width, height, data } = image;
  const out = createRgbImage(width, height);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0; y < height; y += 1) {
    const sy = clamp(cy + (y - cy) / factor, 0, height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = sy - y0;
    for (let x = 0; x < width; x += 1) {
      const sx = clamp(cx + (x - cx) / factor, 0, width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = sx - x0;
      for (let c = 0; c < 3; c += 1) {
        const top = data[(y0 * width + x0) * 3 + c]! * (1 - wx) + data[(y0 * width + x1) * 3 + c]! * wx;
        const bottom = data[(y1 * width + x0) * 3 + c]! * (1 - wx) + data[(y1 * width + x1) * 3 + c]! * wx;
        out.data[(y * width + x) * 3 + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return out;
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
