import { createRgbImage, type RgbImage } from "../rgb-image.js";

/** What fills the corners a rotation uncovers: the image mirrored at its edges, or a constant colour (a rotating scanner's blank). */
export type RotationFill = "mirror" | readonly [number, number, number];

/** Rotates by `degrees` (counter-clockwise) about the centre, keeping the size. Bilinear. */
export function rotateAboutCentre(image: RgbImage, degrees: number, fill: RotationFill = "mirror"): RgbImage {
  const { width, height, data } = image;
  const out = createRgbImage(width, height);
  const cos = Math.cos((degrees * Math.PI) / 180),
    sin = Math.sin((degrees * Math.PI) / 180);
  const cx = (width - 1) / 2,
    cy = (height - 1) / 2;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      // The source of each output pixel: the inverse rotation.
      let sx = cx + (x - cx) * cos - (y - cy) * sin;
      let sy = cy + (x - cx) * sin + (y - cy) * cos;
      const outside = sx < 0 || sy < 0 || sx > width - 1 || sy > height - 1;
      if (outside && fill !== "mirror") {
        out.data.set(fill, (y * width + x) * 3);
        continue;
      }
      sx = mirror(sx, width - 1);
      sy = mirror(sy, height - 1);
      const x0 = Math.floor(sx),
        y0 = Math.floor(sy);
      const x1 = Math.min(x0 + 1, width - 1),
        y1 = Math.min(y0 + 1, height - 1);
      const wx = sx - x0,
        wy = sy - y0;
      for (let c = 0; c < 3; c += 1) {
        const top = data[(y0 * width + x0) * 3 + c]! * (1 - wx) + data[(y0 * width + x1) * 3 + c]! * wx;
        const bottom = data[(y1 * width + x0) * 3 + c]! * (1 - wx) + data[(y1 * width + x1) * 3 + c]! * wx;
        out.data[(y * width + x) * 3 + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return out;
}

/** Folds a coordinate back into [0, last] as a mirror at each edge would. */
function mirror(value: number, last: number): number {
  const period = 2 * last;
  const folded = ((value % period) + period) % period;
  return folded > last ? period - folded : folded;
}
